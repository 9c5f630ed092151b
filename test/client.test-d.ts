import { describe, expectTypeOf, it } from 'vitest';
import {
  createSakariClient,
  type Message,
  type MessagePage,
  type MessagePageWithJson,
  type ParsedJson,
  RateLimitError,
  type ResponseInfo,
  SakariApiError,
  type SakariClient,
  type SakariClientOptions,
  SakariResponse,
  type SendResult,
} from '../src/index.js';

const sakari: SakariClient = createSakariClient({ accountId: 'acc_1', auth: { token: 't0ken' } });

describe('client types', () => {
  it("types the transport's answer as a Response with its attempts", () => {
    expectTypeOf<SakariResponse>().toExtend<Response>();
    expectTypeOf<SakariResponse['attempts']>().toEqualTypeOf<number>();
    // @ts-expect-error: attempts is read-only
    new SakariResponse(new Uint8Array(), new Response(), '', 1).attempts = 2;
  });

  it('types the onResponse hook', () => {
    expectTypeOf<SakariClientOptions['onResponse']>().toEqualTypeOf<
      ((info: ResponseInfo) => void) | undefined
    >();
    expectTypeOf<ResponseInfo>().toEqualTypeOf<{
      method: string;
      url: string;
      path: string;
      status: number;
      body: unknown;
      response: Response;
    }>();
    const compileOnly = () => {
      createSakariClient({
        accountId: 'a',
        auth: { token: 't' },
        onResponse: ({ method, path, status, body }) => void [method, path, status, body],
      });
      createSakariClient({
        accountId: 'a',
        auth: { token: 't' },
        // @ts-expect-error: the hook is told one object, not positional arguments
        onResponse: (_m: string, _s: number) => {},
      });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it('types results from the spec', () => {
    expectTypeOf(sakari.messages.list).returns.resolves.toEqualTypeOf<MessagePage>();
    expectTypeOf(sakari.messages.get).returns.resolves.toEqualTypeOf<Message>();
    expectTypeOf(sakari.messages.send).returns.resolves.toEqualTypeOf<SendResult>();
    expectTypeOf(sakari.messages.iterate()).toEqualTypeOf<
      AsyncGenerator<Message, void, undefined>
    >();
    expectTypeOf<MessagePage['data'][number]>().toEqualTypeOf<Message>();
  });

  it("gives pages json only when asked for, and a body's element texts from the response", () => {
    expectTypeOf(sakari.messages.pages()).toEqualTypeOf<
      AsyncGenerator<MessagePage, void, undefined>
    >();
    expectTypeOf(sakari.messages.pages({}, { json: true })).toEqualTypeOf<
      AsyncGenerator<MessagePageWithJson, void, undefined>
    >();
    expectTypeOf<MessagePageWithJson['json']>().toEqualTypeOf<string[]>();
    const json = true as boolean;
    expectTypeOf(sakari.messages.pages({}, { json })).toEqualTypeOf<
      AsyncGenerator<MessagePage & { json?: string[] }, void, undefined>
    >();
    expectTypeOf<SakariResponse['jsonWithElements']>().returns.resolves.toEqualTypeOf<ParsedJson>();
    const compileOnly = async () => {
      for await (const page of sakari.messages.pages({}, { concurrency: 2 })) {
        // @ts-expect-error: json was not asked for
        void page.json;
      }
      // @ts-expect-error: json is a boolean
      void sakari.messages.pages({}, { json: 'yes' });
      // @ts-expect-error: iterate yields messages, never their text
      void sakari.messages.iterate({}, { json: true });
    };
    expectTypeOf(compileOnly).toBeFunction();
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

  it("admits every send Sakari's document allows, and only values of the right types", () => {
    const compileOnly = () => {
      void sakari.messages.send({ template: 'hi', contacts: [{ id: '5f1e8a2b9c3d4e0012a7b6c1' }] });
      void sakari.messages.send({
        contacts: [{ mobile: { number: '+15551234567' } }],
        media: [{ url: 'https://example.com/menu.jpg' }],
        type: 'MMS',
      });
      void sakari.messages.send({
        template: 'hi',
        contacts: [{ mobile: { number: '5551234567', country: 'us' } }],
      });
      void sakari.messages.send({ template: 'hi', contacts: [{ email: 'ana@example.com' }] });
      // @ts-expect-error: the template is text
      void sakari.messages.send({ template: 42, conversations: ['c'] });
      // @ts-expect-error: a file needs its url
      void sakari.messages.send({ conversations: ['c'], media: [{}] });
      // @ts-expect-error: contacts is an array
      void sakari.messages.send({ template: 'hi', contacts: { id: 'c1' } });
      // @ts-expect-error: a contact's id is a string
      void sakari.messages.send({ template: 'hi', contacts: [{ id: 5 }] });
      // @ts-expect-error: conversations are ids
      void sakari.messages.send({ template: 'hi', conversations: [{ id: 'c' }] });
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
