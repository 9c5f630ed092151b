// The command table: every command of `sakari`, its flags and its help. The help lists are made
// from it, and each command's code loads only when that command runs.
import type { Options } from './args.js';
import type { Command } from './command.js';
import { GET_HELP, LIST_HELP, MOCK_HELP, SANDBOX_HELP, SEND_HELP } from './help.js';

/** The flags of every command that talks to the API (config.ts reads them). */
const CONNECTION_OPTIONS = {
  account: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  token: { type: 'string' },
  'base-url': { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
} as const satisfies Options;

const FORMAT = { format: { type: 'string' } } as const satisfies Options;

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'messages list',
    synopsis: 'messages list',
    summary: 'list messages, or export them all (--all)',
    help: LIST_HELP,
    options: {
      contact: { type: 'string' },
      conversation: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      all: { type: 'boolean' },
      max: { type: 'string' },
      concurrency: { type: 'string' },
      validate: { type: 'string' },
      ...FORMAT,
      ...CONNECTION_OPTIONS,
    },
    load: async () => (await import('./list.js')).list,
  },
  {
    name: 'messages get',
    synopsis: 'messages get ID',
    summary: 'show one message',
    help: GET_HELP,
    options: { validate: { type: 'string' }, ...FORMAT, ...CONNECTION_OPTIONS },
    positionals: true,
    load: async () => (await import('./get.js')).get,
  },
  {
    name: 'messages send',
    synopsis: 'messages send',
    summary: 'send a message to one or more numbers',
    help: SEND_HELP,
    options: {
      to: { type: 'string', multiple: true },
      text: { type: 'string' },
      type: { type: 'string' },
      media: { type: 'string', multiple: true },
      yes: { type: 'boolean', short: 'y' },
      ...FORMAT,
      ...CONNECTION_OPTIONS,
    },
    load: async () => (await import('./send.js')).send,
  },
  {
    name: 'sandbox',
    synopsis: 'sandbox',
    summary: 'run a local sandbox of the Sakari messages API',
    help: SANDBOX_HELP,
    options: {
      port: { type: 'string' },
      messages: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      shape: { type: 'string' },
      'no-has-next': { type: 'boolean' },
      'no-total-count': { type: 'boolean' },
      'no-pagination': { type: 'boolean' },
      'page-cap': { type: 'string' },
      'idless-every': { type: 'string' },
      'drift-every': { type: 'string' },
      'inserts-per-request': { type: 'string' },
      'deletes-per-request': { type: 'string' },
    },
    load: async () => (await import('./sandbox.js')).sandbox,
  },
  {
    name: 'mock',
    synopsis: 'mock',
    summary: "run Prism on the package's spec, a mock of Sakari for your tests",
    help: MOCK_HELP,
    options: {
      port: { type: 'string' },
      dynamic: { type: 'boolean' },
      seed: { type: 'string' },
    },
    load: async () => (await import('./mock.js')).mock,
  },
];

/** The flags of every command. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies Options;
