import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { chunks, placeholders } from '@livepromo/persistence';
import type { AskedQuestion, TopicView } from '../domain/audience-facts';

export type { AskedQuestion, TopicView } from '../domain/audience-facts';

export interface QuestionGroup {
  text: string;
  intent: string;
  askedBy: number;
  times: number;
}

type Row = Record<string, unknown>;
const rowsOf = (res: unknown): Row[] => (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number' ? (res[0] as Row[]) : (res as Row[]));

/** The audience tables behind content plans (write side from the consumer, read side for the plan). */
@Injectable()
export class AudienceRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Applies a batch once per eventId, in one transaction. Returns how many events were new. */
  async apply(views: readonly TopicView[], questions: readonly AskedQuestion[]): Promise<number> {
    if (views.length + questions.length === 0) return 0;
    return this.ds.transaction(async (m) => {
      const fresh = await this.claim(m, [...views, ...questions]);
      const v = views.filter((x) => fresh.has(`${x.tenantId}\u0000${x.eventId}`));
      const q = questions.filter((x) => fresh.has(`${x.tenantId}\u0000${x.eventId}`));
      await this.addTopics(m, v);
      await this.addQuestions(m, q);
      return v.length + q.length;
    });
  }

  private async claim(m: EntityManager, events: readonly { tenantId: string; eventId: string }[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    const unique = [...new Map(events.map((e) => [`${e.tenantId}\u0000${e.eventId}`, e])).values()];
    for (const part of chunks(unique, 2)) {
      const rows = rowsOf(
        await m.query(
          `INSERT INTO audience_applied (tenant_id, event_id) VALUES ${placeholders(part.length, 2)} ON CONFLICT DO NOTHING RETURNING tenant_id, event_id`,
          part.flatMap((e) => [e.tenantId, e.eventId]),
        ),
      );
      for (const r of rows) fresh.add(`${String(r.tenant_id)}\u0000${String(r.event_id)}`);
    }
    return fresh;
  }

  private async addTopics(m: EntityManager, views: readonly TopicView[]): Promise<void> {
    // user × topic views (summed per key first: ON CONFLICT cannot touch one row twice in a statement)
    const userTopic = new Map<string, { tenantId: string; userId: string; topic: string; views: number; lastMs: number }>();
    const courseViewer = new Map<string, [string, string, string, string]>();
    const courseInfo = new Map<string, [string, string, string | null]>();
    for (const v of views) {
      if (v.courseId) courseInfo.set(`${v.tenantId}\u0000${v.courseId}`, [v.tenantId, v.courseId, v.category]);
      if (!v.userId) continue;
      for (const topic of new Set(v.topics)) {
        const k = `${v.tenantId}\u0000${v.userId}\u0000${topic}`;
        const cur = userTopic.get(k);
        if (cur) {
          cur.views++;
          cur.lastMs = Math.max(cur.lastMs, v.atMs);
        } else userTopic.set(k, { tenantId: v.tenantId, userId: v.userId, topic, views: 1, lastMs: v.atMs });
        if (v.courseId) courseViewer.set(`${v.tenantId}\u0000${v.courseId}\u0000${topic}\u0000${v.userId}`, [v.tenantId, v.courseId, topic, v.userId]);
      }
    }
    for (const part of chunks([...userTopic.values()], 5)) {
      await m.query(
        `INSERT INTO user_topic (tenant_id, user_id, topic, views, last_ms) VALUES ${placeholders(part.length, 5)}
         ON CONFLICT (tenant_id, user_id, topic) DO UPDATE SET views = user_topic.views + EXCLUDED.views, last_ms = GREATEST(user_topic.last_ms, EXCLUDED.last_ms)`,
        part.flatMap((r) => [r.tenantId, r.userId, r.topic, r.views, r.lastMs]),
      );
    }
    for (const part of chunks([...courseViewer.values()], 4)) {
      await m.query(`INSERT INTO course_topic_viewer (tenant_id, course_id, topic, user_id) VALUES ${placeholders(part.length, 4)} ON CONFLICT DO NOTHING`, part.flat());
    }
    for (const part of chunks([...courseInfo.values()], 3)) {
      await m.query(
        `INSERT INTO course_info (tenant_id, course_id, category) VALUES ${placeholders(part.length, 3)}
         ON CONFLICT (tenant_id, course_id) DO UPDATE SET category = COALESCE(EXCLUDED.category, course_info.category)`,
        part.flat(),
      );
    }
  }

  private async addQuestions(m: EntityManager, qs: readonly AskedQuestion[]): Promise<void> {
    for (const part of chunks(qs, 8)) {
      await m.query(
        `INSERT INTO asked_question (tenant_id, comment_event_id, user_id, session_id, intent, norm, text, at_ms) VALUES ${placeholders(part.length, 8)}
         ON CONFLICT DO NOTHING`,
        part.flatMap((q) => [q.tenantId, q.commentEventId, q.userId, q.sessionId, q.intent, q.norm, q.text, q.atMs]),
      );
    }
  }

  async eraseUser(tenantId: string, userId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`DELETE FROM user_topic WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
      await m.query(`DELETE FROM course_topic_viewer WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
      await m.query(`DELETE FROM asked_question WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
    });
  }

  // --- read side --------------------------------------------------------------------------------

  async course(tenantId: string, courseId: string): Promise<{ category: string | null; topics: { topic: string; users: number }[] }> {
    const info = rowsOf(await this.ds.query(`SELECT category FROM course_info WHERE tenant_id = $1 AND course_id = $2`, [tenantId, courseId]));
    const topics = rowsOf(
      await this.ds.query(
        `SELECT topic, count(*)::int AS users FROM course_topic_viewer WHERE tenant_id = $1 AND course_id = $2 GROUP BY topic ORDER BY users DESC, topic LIMIT 50`,
        [tenantId, courseId],
      ),
    );
    return {
      category: info.length ? ((info[0].category as string | null) ?? null) : null,
      topics: info.length || topics.length ? topics.map((r) => ({ topic: String(r.topic), users: Number(r.users) })) : [],
    };
  }

  async courseKnown(tenantId: string, courseId: string): Promise<boolean> {
    return rowsOf(await this.ds.query(`SELECT 1 FROM course_info WHERE tenant_id = $1 AND course_id = $2`, [tenantId, courseId])).length > 0;
  }

  /** Distinct segment users who viewed each of `topics`, and how many of the segment's users we know at all. */
  async segmentTopics(tenantId: string, userIds: readonly string[], topics: readonly string[]): Promise<{ known: number; byTopic: Map<string, number> }> {
    if (userIds.length === 0) return { known: 0, byTopic: new Map() };
    const [byTopic, known] = await Promise.all([
      this.ds.query<unknown>(
        `SELECT topic, count(DISTINCT user_id)::int AS users FROM user_topic WHERE tenant_id = $1 AND user_id = ANY($2::varchar[]) AND topic = ANY($3::varchar[]) GROUP BY topic`,
        [tenantId, userIds, topics],
      ),
      this.ds.query<unknown>(
        `SELECT count(*)::int AS n FROM (SELECT user_id FROM user_topic WHERE tenant_id = $1 AND user_id = ANY($2::varchar[])
           UNION SELECT user_id FROM asked_question WHERE tenant_id = $1 AND user_id = ANY($2::varchar[])) u`,
        [tenantId, userIds],
      ),
    ]);
    return {
      known: Number(rowsOf(known)[0]?.n ?? 0),
      byTopic: new Map(rowsOf(byTopic).map((r) => [String(r.topic), Number(r.users)])),
    };
  }

  /** Bandit posteriors of a category (bandit_arm is written by the live pipeline). */
  async arms(tenantId: string, category: string): Promise<{ trigger: string; strategy: string; alpha: number; beta: number; pulls: number }[]> {
    const rows = rowsOf(await this.ds.query(`SELECT trigger, strategy, alpha, beta, pulls FROM bandit_arm WHERE tenant_id = $1 AND category = $2`, [tenantId, category]));
    return rows.map((r) => ({ trigger: String(r.trigger), strategy: String(r.strategy), alpha: Number(r.alpha), beta: Number(r.beta), pulls: Number(r.pulls) }));
  }

  /** Minutes since session start at which each trigger fired (suggestions of the category; the streamer's own when asked). */
  async triggerMinutes(tenantId: string, category: string, streamerId: string | null): Promise<Map<string, number[]>> {
    const rows = rowsOf(
      await this.ds.query(
        `SELECT s.trigger, (s.window_end_ms - l.started_at_ms) / 60000.0 AS minute
         FROM suggestion s JOIN live_session l ON l.tenant_id = s.tenant_id AND l.session_id = s.session_id
         WHERE s.tenant_id = $1 AND s.category = $2 AND l.started_at_ms IS NOT NULL AND s.window_end_ms >= l.started_at_ms
           AND ($3::varchar IS NULL OR l.streamer_id = $3)
         ORDER BY s.window_end_ms DESC LIMIT 5000`,
        [tenantId, category, streamerId],
      ),
    );
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const list = out.get(String(r.trigger)) ?? [];
      list.push(Number(r.minute));
      out.set(String(r.trigger), list);
    }
    return out;
  }

  /** Questions grouped by normalised text, ranked by distinct askers: of the given users, or of sessions of a category / streamer. */
  async questions(tenantId: string, scope: { userIds: readonly string[] } | { category: string | null; streamerId: string | null }, limit: number): Promise<QuestionGroup[]> {
    const rows =
      'userIds' in scope
        ? rowsOf(
            await this.ds.query(
              `SELECT norm, intent, min(text) AS text, count(DISTINCT user_id)::int AS asked_by, count(*)::int AS times
               FROM asked_question WHERE tenant_id = $1 AND user_id = ANY($2::varchar[])
               GROUP BY norm, intent ORDER BY asked_by DESC, times DESC, norm LIMIT $3`,
              [tenantId, scope.userIds, limit],
            ),
          )
        : rowsOf(
            await this.ds.query(
              `SELECT q.norm, q.intent, min(q.text) AS text, count(DISTINCT q.user_id)::int AS asked_by, count(*)::int AS times
               FROM asked_question q JOIN live_session l ON l.tenant_id = q.tenant_id AND l.session_id = q.session_id
               WHERE q.tenant_id = $1 AND ($2::varchar IS NULL OR l.category = $2) AND ($3::varchar IS NULL OR l.streamer_id = $3)
               GROUP BY q.norm, q.intent ORDER BY asked_by DESC, times DESC, q.norm LIMIT $4`,
              [tenantId, scope.category, scope.streamerId, limit],
            ),
          );
    return rows.map((r) => ({ text: String(r.text), intent: String(r.intent), askedBy: Number(r.asked_by), times: Number(r.times) }));
  }
}
