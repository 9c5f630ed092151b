import { describe, expectTypeOf, it } from 'vitest';
import type {
  ListMessagesParams,
  Message,
  MessagePage,
  Pagination,
  SendContact,
  SendMessagesRequest,
} from '../src/types.js';

describe('generated types', () => {
  it('reach the nested fields of a message', () => {
    type ContactNumber = NonNullable<NonNullable<Message['contact']>['mobile']>['number'];
    expectTypeOf<ContactNumber>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<ContactNumber>>().toBeString();
    expectTypeOf<Message['id']>().toBeString();
    expectTypeOf<Message['sendAt']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<NonNullable<Message['conversation']>['lastMessage']>().toEqualTypeOf<
      Message | undefined
    >();
  });

  it('type the list parameters and the page', () => {
    expectTypeOf<NonNullable<ListMessagesParams['limit']>>().toBeNumber();
    expectTypeOf<NonNullable<ListMessagesParams['offset']>>().toBeNumber();
    expectTypeOf<ListMessagesParams['contactId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MessagePage['data']>().toEqualTypeOf<Message[]>();
    expectTypeOf<MessagePage['pagination']>().toEqualTypeOf<Pagination | undefined>();
    // @ts-expect-error: the API has no `page` parameter
    const bad: ListMessagesParams = { page: 2 };
    void bad;
  });

  it("type the send request as loosely as Sakari's document: nothing required but a file's url", () => {
    expectTypeOf<SendMessagesRequest['template']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SendMessagesRequest['contacts']>().toEqualTypeOf<SendContact[] | undefined>();
    expectTypeOf<SendContact['id']>().toEqualTypeOf<string | undefined>();
    type SendMobile = NonNullable<SendContact['mobile']>;
    expectTypeOf<SendMobile['number']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SendMobile['country']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<SendMessagesRequest['media']>[number]['url']>().toBeString();
    expectTypeOf<SendMessagesRequest['type']>().toEqualTypeOf<'SMS' | 'MMS' | undefined>();
    const byId: SendMessagesRequest = { template: 'hi', contacts: [{ id: 'c1' }] };
    // @ts-expect-error: a file without its url
    const noUrl: SendMessagesRequest = { conversations: ['c1'], media: [{}] };
    void [byId, noUrl];
  });
});
