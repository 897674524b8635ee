// Exits 0 once the broker answers a metadata request and the group coordinator is ready.
const { Kafka, logLevel } = require('kafkajs');
const broker = process.argv[2] || '127.0.0.1:9092';
const admin = new Kafka({ clientId: 'livepromo-infra-wait', brokers: [broker], logLevel: logLevel.NOTHING,
  retry: { retries: 0 }, connectionTimeout: 2000 }).admin();
admin.connect()
  .then(() => admin.describeCluster())
  .then(() => admin.disconnect())
  .then(() => process.exit(0), () => process.exit(1));
