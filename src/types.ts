/**
 * Friendly names over the types generated from the OpenAPI spec. Nothing here is written out
 * by hand: every type is a lookup into `generated/schema.d.ts`, so a spec change flows through.
 */
import type { components, operations, paths } from '../generated/schema.js';

export type { components, operations, paths };

type Schemas = components['schemas'];

/** An SMS or MMS message, sent by the account or received from a contact. */
export type Message = Schemas['Message'];
/** A person the account exchanges messages with. */
export type Contact = Schemas['Contact'];
/** A mobile number and what is known of it. */
export type Mobile = Schemas['Mobile'];
/** A contact list (static, synced or defined by a filter). */
export type ContactList = Schemas['ContactList'];
/** The thread between one contact and one of the account's phone numbers. */
export type Conversation = Schemas['Conversation'];
/** A phone number of the account. */
export type PhoneNumber = Schemas['PhoneNumber'];
/** A group of users with its numbers, senders and office hours. */
export type Group = Schemas['Group'];
/** A short `{ id, name }` reference to a group. */
export type GroupReference = Schemas['GroupReference'];
/** A user of the account. */
export type User = Schemas['User'];
/** An identity messages are sent from. */
export type Sender = Schemas['Sender'];
/** A file attached to an MMS message. */
export type Media = Schemas['Media'];
/** When a record was created or changed, and by whom. */
export type AuditStamp = Schemas['AuditStamp'];
/** The `{ code, description }` error embedded in a message or contact. */
export type ErrorDetail = Schemas['ErrorDetail'];
/** Where a page sits in the result set. */
export type Pagination = Schemas['Pagination'];
/** The query of `GET /v1/accounts/{accountId}/messages`. */
export type ListMessagesParams = NonNullable<operations['listMessages']['parameters']['query']>;
/** One page of messages: `{ success, pagination, data }`. */
export type MessagePage = Schemas['MessageListResponse'];
/** The body of `POST /v1/accounts/{accountId}/messages`. */
export type SendMessagesRequest = Schemas['SendMessagesRequest'];
/** One recipient given inline in a send. */
export type SendContact = Schemas['SendContact'];
/** What a send queued and what it rejected. */
export type SendResult = Schemas['SendResult'];
/** The body of `POST /oauth2/token`. */
export type TokenRequest = Schemas['TokenRequest'];
/** The answer of `POST /oauth2/token`. */
export type TokenResponse = Schemas['TokenResponse'];
/** Sakari's error body: `{ success: false, error: { code, message } }`. */
export type ErrorResponse = Schemas['ErrorResponse'];
