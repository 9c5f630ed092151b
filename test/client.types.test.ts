import { describe, expectTypeOf, it } from 'vitest';
import {
  createSakariClient,
  type Message,
  type MessagePage,
  RateLimitError,
  SakariApiError,
  type SakariClient,
  type SendResult,
} from '../src/index.js';

const sakari: SakariClient = createSakariClient({ accountId: 'acc_1', auth: { token: 't0ken' } });

describe('client types', () => {
  it('types results from the spec', () => {
    expectTypeOf(sakari.messages.list).returns.resolves.toEqualTypeOf<MessagePage>();
    expectTypeOf(sakari.messages.get).returns.resolves.toEqualTypeOf<Message>();
    expectTypeOf(sakari.messages.send).returns.resolves.toEqualTypeOf<SendResult>();
    expectTypeOf(sakari.messages.iterate()).toEqualTypeOf<
      AsyncGenerator<Message, void, undefined>
    >();
    expectTypeOf<MessagePage['data'][number]>().toEqualTypeOf<Message>();
  });

  it('rejects wrong parameter names and types at compile time', () => {
    const compileOnly = () => {
      // @ts-expect-error: no such parameter
      void sakari.messages.list({ page: 2 });
      // @ts-expect-error: limit is a number
      void sakari.messages.list({ limit: '50' });
      // @ts-expect-error: the id is a string
      void sakari.messages.get(42);
      // @ts-expect-error: a contact's mobile is an object
      void sakari.messages.send({ template: 'hi', contacts: [{ mobile: '+15551234567' }] });
      // @ts-expect-error: type is SMS or MMS
      void sakari.messages.send({ template: 'hi', conversations: ['c'], type: 'FAX' });
      // @ts-expect-error: concurrency is a number
      void sakari.messages.iterate({}, { concurrency: 'max' });
      // @ts-expect-error: accountId is required
      createSakariClient({ auth: { token: 't' } });
      // @ts-expect-error: the fetcher knows the spec's paths
      void sakari.fetcher.GET('/v1/unknown');
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it('narrows errors with instanceof', () => {
    const handle = (error: unknown) => {
      if (error instanceof RateLimitError) {
        expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
        expectTypeOf(error.status).toBeNumber();
      } else if (error instanceof SakariApiError) {
        expectTypeOf(error.code).toEqualTypeOf<string | undefined>();
      }
    };
    expectTypeOf(handle).toBeFunction();
  });
});
