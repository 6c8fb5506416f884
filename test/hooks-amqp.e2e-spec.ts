import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { BrokerProxy, brokerAnswers, TEST_AMQP_URL } from './support/amqp-broker';
import { deliveriesOf, hookIdsOf, QUICK_HOOKS, upload } from './support/hooks';
import { pollUntil } from './support/poll';
import { describeWhenAvailable } from './support/required-service';
import { readSample, sampleEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

const describeWithBroker = describeWhenAvailable(
  brokerAnswers(),
  `the AMQP hook tests need a RabbitMQ broker at ${new URL(TEST_AMQP_URL).host} (set TEST_AMQP_URL); none answers`,
);

/** Every message waiting in the queue. */
async function drain(channel: Channel, queue: string): Promise<GetMessage[]> {
  const messages: GetMessage[] = [];
  for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) {
    messages.push(message);
  }
  return messages;
}

const amqpDeliveries = async (target: TestApp, eventId: string) =>
  (await deliveriesOf(target.dataSource, eventId)).filter((row) => row.subscriber.startsWith('amqp:'));

describeWithBroker('AMQP delivery (RabbitMQ)', () => {
  const exchange = `se3.hooks.test.${randomBytes(4).toString('hex')}`;
  const queue = `${exchange}.all`;
  const proxy = new BrokerProxy();
  let broker: ChannelModel;
  let channel: Channel;
  let target: TestApp;

  beforeAll(async () => {
    broker = await connect(TEST_AMQP_URL);
    channel = await broker.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: false, autoDelete: false });
    await channel.bindQueue(queue, exchange, '#');
    await proxy.listen();
    target = await createTestApp({ ...QUICK_HOOKS, HOOK_AMQP_URL: proxy.url(), HOOK_AMQP_EXCHANGE: exchange });
  });

  afterAll(async () => {
    await target?.close();
    await proxy.close();
    await channel?.deleteQueue(queue);
    await channel?.deleteExchange(exchange);
    await broker?.close();
  });

  it('publishes each 1001 and 1002 sample hook once, persistent, confirmed, routed by type, with the hook id', async () => {
    const results = await upload(target, [
      readSample('snapcam-stranger-1001.json'),
      readSample('snapcam-stranger-1001-poor-quality.json'),
      readSample('gallery-update-1002.json'),
    ]);
    const hookIds = await Promise.all(results.map(async ({ id }) => (await hookIdsOf(target.dataSource, id))[0]));
    for (const { id } of results) {
      const [delivery] = await pollUntil(
        () => amqpDeliveries(target, id),
        (rows) => rows[0]?.status === 'delivered',
      );
      expect(delivery).toMatchObject({ subscriber: `amqp:${new URL(proxy.url()).host}/%2F/${exchange}`, attempts: 1 });
    }

    const messages = await drain(channel, queue);
    expect(messages.map((message) => message.properties.messageId).sort()).toEqual([...hookIds].sort());
    const byId = new Map(messages.map((message) => [message.properties.messageId as string, message]));
    for (const [index, hookId] of hookIds.entries()) {
      const message = byId.get(hookId)!;
      const body = JSON.parse(message.content.toString());
      const type = index < 2 ? 'stranger.registration' : 'gallery.update';
      expect(message.fields.routingKey).toBe(type);
      expect(message.fields.exchange).toBe(exchange);
      expect(message.properties).toMatchObject({ deliveryMode: 2, contentType: 'application/json', type });
      expect(body).toMatchObject({ id: hookId, type, event_id: results[index].id });
    }
    expect(JSON.parse(byId.get(hookIds[1])!.content.toString()).fiqa).toEqual({ result: false, fails: ['clarity', 'brightness'] });
  });

  it('reconnects after the broker connection is lost and publishes what came meanwhile', async () => {
    const before = sampleEvent('gallery-update-1002.json');
    before.timestamp += 1;
    const [first] = await upload(target, before);
    await pollUntil(
      () => amqpDeliveries(target, first.id),
      (rows) => rows[0]?.status === 'delivered',
    );
    expect(proxy.cut()).toBeGreaterThan(0);

    const after = sampleEvent('gallery-update-1002.json');
    after.timestamp += 2;
    const [second] = await upload(target, after);
    const [delivery] = await pollUntil(
      () => amqpDeliveries(target, second.id),
      (rows) => rows[0]?.status === 'delivered',
      {
        what: 'delivery after the connection was cut',
      },
    );
    expect(delivery.status).toBe('delivered');

    const ids = [...(await hookIdsOf(target.dataSource, first.id)), ...(await hookIdsOf(target.dataSource, second.id))];
    const messages = await drain(channel, queue);
    expect(messages.map((message) => message.properties.messageId)).toEqual(ids);
  });
});
