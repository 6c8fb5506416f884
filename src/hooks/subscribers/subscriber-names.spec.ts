import { signWebhook, webhookKey } from './webhook-signature';
import { amqpSubscriberName } from './amqp.subscriber';
import { webhookSubscriberName } from './webhook.subscriber';

describe('webhook signatures', () => {
  it('match the Standard Webhooks test vector', () => {
    const key = webhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(signWebhook(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });
});

describe('subscriber names', () => {
  it('leave credentials, query and fragment out of webhook names', () => {
    expect(webhookSubscriberName('https://user:s3cret@hooks.example.com:8443/se3/in?token=abc#x')).toBe(
      'webhook:https://hooks.example.com:8443/se3/in',
    );
  });

  it('leave credentials out of AMQP names, and name the default vhost %2F', () => {
    expect(amqpSubscriberName('amqp://app:s3cret@mq.example.com', 'se3.hooks')).toBe('amqp:mq.example.com:5672/%2F/se3.hooks');
    expect(amqpSubscriberName('amqps://app:s3cret@mq.example.com/prod?heartbeat=10', 'x')).toBe('amqp:mq.example.com:5671/prod/x');
  });
});
