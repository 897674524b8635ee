import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What content plans are computed from: topics users viewed, the course's topics, and the questions users asked.
 * Per-user rows are deleted on user.erased.
 */
export class ContentOptimiserAudience1795870000001 implements MigrationInterface {
  name = 'ContentOptimiserAudience1795870000001';

  async up(q: QueryRunner): Promise<void> {
    // Every event applied to the audience tables, by eventId: redelivery is a no-op.
    await q.query(`CREATE TABLE audience_applied (
      tenant_id varchar(64) NOT NULL,
      event_id varchar(128) NOT NULL,
      PRIMARY KEY (tenant_id, event_id)
    )`);
    await q.query(`CREATE TABLE user_topic (
      tenant_id varchar(64) NOT NULL,
      user_id varchar(128) NOT NULL,
      topic varchar(64) NOT NULL,
      views int NOT NULL DEFAULT 0,
      last_ms bigint NOT NULL,
      PRIMARY KEY (tenant_id, user_id, topic)
    )`);
    await q.query(`CREATE INDEX user_topic_topic ON user_topic (tenant_id, topic)`);
    await q.query(`CREATE TABLE course_topic_viewer (
      tenant_id varchar(64) NOT NULL,
      course_id varchar(128) NOT NULL,
      topic varchar(64) NOT NULL,
      user_id varchar(128) NOT NULL,
      PRIMARY KEY (tenant_id, course_id, topic, user_id)
    )`);
    await q.query(`CREATE INDEX course_topic_viewer_user ON course_topic_viewer (tenant_id, user_id)`);
    await q.query(`CREATE TABLE course_info (
      tenant_id varchar(64) NOT NULL,
      course_id varchar(128) NOT NULL,
      category varchar(32),
      PRIMARY KEY (tenant_id, course_id)
    )`);
    await q.query(`CREATE TABLE asked_question (
      tenant_id varchar(64) NOT NULL,
      comment_event_id varchar(128) NOT NULL,
      user_id varchar(128),
      session_id varchar(128),
      intent varchar(64) NOT NULL,
      norm text NOT NULL,
      text text NOT NULL,
      at_ms bigint NOT NULL,
      PRIMARY KEY (tenant_id, comment_event_id)
    )`);
    await q.query(`CREATE INDEX asked_question_user ON asked_question (tenant_id, user_id)`);
    await q.query(`CREATE INDEX asked_question_session ON asked_question (tenant_id, session_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['asked_question', 'course_info', 'course_topic_viewer', 'user_topic', 'audience_applied']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
