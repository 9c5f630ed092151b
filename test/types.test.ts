import { describe, expectTypeOf, it } from 'vitest';
import type { ListMessagesParams, Message, MessagePage, Pagination } from '../src/types.js';

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
});
