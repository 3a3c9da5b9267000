import { connect } from 'nats';

/**
 * Dapr's JetStream pub/sub does not create streams, and its durable consumer
 * name is shared by every topic of an app, so each topic gets a stream of its
 * own (`emporium_<topic>`); each app then has one durable consumer per stream.
 * The runner provisions the platform's topics; tests provision theirs.
 */
export function streamName(topic: string): string {
  return `emporium_${topic.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export async function provisionStreams(natsUrl: string, topics: readonly string[]): Promise<void> {
  const nc = await connect({ servers: natsUrl.replace(/^nats:\/\//, '') });
  try {
    const jsm = await nc.jetstreamManager();
    for (const topic of topics) {
      const name = streamName(topic);
      try {
        await jsm.streams.info(name);
      } catch {
        await jsm.streams.add({ name, subjects: [topic] });
      }
    }
  } finally {
    await nc.close();
  }
}
