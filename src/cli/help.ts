// The help texts, each with examples. Kept together so they read as one manual; the command
// table (commands.ts) hands each to its command, and the lists of commands are made from it.
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';
import type { Command } from './command.js';

const CONNECTION = `Connection (flags win over the variables):
  --account ID          the account                          SAKARI_ACCOUNT_ID
  --client-id ID        API client id                        SAKARI_CLIENT_ID
  --client-secret S     API client secret                    SAKARI_CLIENT_SECRET
  --token T             a bearer token, instead of the two   SAKARI_TOKEN
  --base-url URL        API origin (https://api.sakari.io)   SAKARI_BASE_URL
  --timeout MS          per attempt, 1-600000 (default 30000)
  --retries N           retries of a failed request, 0-10 (default 2)

  Put secrets in the environment, not in flags: a flag shows in shell history and in ps.
  With no SAKARI_* variable and no connection flag, the command runs against a built-in
  sandbox of 2,500 sample messages (one line on stderr says so).`;

const COMMON = `  --debug               stack traces and retries on stderr (never a secret)
  -h, --help            show this help`;

const FORMAT = `  --format F            table, json, ndjson or csv (default: table at a terminal,
                        ndjson in a pipe)`;

/** `sakari --help`: the commands as the table lists them. */
export function mainHelp(commands: readonly Command[]): string {
  return `sakari: Sakari SMS messages from the command line

Usage: sakari <command> [options]

Commands:
${commandList(commands)}

Options:
  -h, --help            show this help ('sakari <command> --help' for a command's)
  -v, --version         print the version

${CONNECTION}

Exit codes: 0 success, 1 API or network error, 2 usage error (nothing was sent),
3 an answer differed from the spec (--validate), 130 interrupted (Ctrl-C).

Examples:
  sakari messages list --all                          # the built-in sandbox, as a table
  sakari messages list --all --format ndjson | wc -l  # 2500
  export SAKARI_ACCOUNT_ID=… SAKARI_CLIENT_ID=… SAKARI_CLIENT_SECRET=…
  sakari messages list --limit 50
  sakari messages list --all --format csv > messages.csv
  sakari messages send --to +15551234567 --text "Your table is ready"
  sakari mock --port 4010                             # Prism on the bundled spec`;
}

/** `sakari messages --help`: the commands of a group. */
export function groupHelp(group: string, commands: readonly Command[]): string {
  const names = commands.map((c) => c.name.slice(group.length + 1)).join('|');
  return `Usage: sakari ${group} <${names}> [options]

Commands:
${commandList(commands, group)}

Run 'sakari ${group} <command> --help' for a command's options.`;
}

function commandList(commands: readonly Command[], group?: string): string {
  const shown = commands.map((c) => [
    group ? c.synopsis.slice(group.length + 1) : c.synopsis,
    c.summary,
  ]);
  const width = Math.max(20, ...shown.map(([synopsis]) => (synopsis as string).length));
  return shown
    .map(([synopsis, summary]) => `  ${(synopsis as string).padEnd(width)}  ${summary}`)
    .join('\n');
}

export const LIST_HELP = `Usage: sakari messages list [options]

Lists messages, newest first: one page by default, every message with --all.

Options:
  --contact ID          only messages with this contact
  --conversation ID     only messages of this conversation
  --limit N             page size, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}; ${MAX_PAGE_SIZE} with --all)
  --offset N            skip the first N messages (default 0)
  --all                 every message, page after page
  --max N               stop after N messages (implies --all)
  --concurrency N       pages fetched at once with --all, 1-16 (default 4)
  --validate[=json]     check every answer against the spec; at the end a drift report
                        on stderr (json: as one JSON object), exit 3 when any answer
                        differs (stdout is unchanged)
${FORMAT}
${COMMON}

  With --all at a terminal, a progress line on stderr shows done / total, rate and ETA.
  On an error or Ctrl-C, every message already fetched has been written in full.

${CONNECTION}

Examples:
  sakari messages list
  sakari messages list --all --format ndjson > messages.ndjson
  sakari messages list --all --format csv --concurrency 8 > messages.csv
  sakari messages list --contact 6703ed1bb042537cf96a0952 --format json
  sakari messages list --all --max 500 --format ndjson | jq -r .message
  sakari messages list --all --validate --format ndjson > /dev/null   # does Sakari match the spec?`;

export const GET_HELP = `Usage: sakari messages get ID [options]

Shows one message: every field at a terminal (table), or the message as JSON.

Options:
  --validate[=json]     check every answer against the spec; at the end a drift report
                        on stderr (json: as one JSON object), exit 3 when any answer
                        differs (stdout is unchanged)
${FORMAT}
${COMMON}

${CONNECTION}

Examples:
  sakari messages get 6b08734b062a2f0022000000
  sakari messages get 6b08734b062a2f0022000000 --format json`;

export const SEND_HELP = `Usage: sakari messages send --to NUMBER [--to NUMBER…] --text TEXT [options]
       sakari messages send --to NUMBER [--to NUMBER…] --media URL [--media URL…] [options]

Sends a message to each number. Asks for confirmation at a terminal; elsewhere (a script,
a pipe) it refuses to send without --yes. Only a missing or blank value stops it here:
Sakari judges numbers, URLs and the type, and its error says what it refused.

Options:
  --to NUMBER           a recipient, best in E.164 (+15551234567); repeat for more
  --text TEXT           the text; placeholders such as {{{contact.firstName}}} are filled;
                        may be left out when --media is given
  --type T              SMS or MMS (default: as Sakari decides)
  --media URL           a file to attach (an MMS); repeat for more
  --yes                 send without asking
${FORMAT}
${COMMON}

  Prints the job id, how many recipients were valid, and the queued messages' ids.
  A send is never retried once Sakari may have received it (no duplicate messages).

${CONNECTION}

Examples:
  sakari messages send --to +15551234567 --text "Your table is ready"
  sakari messages send --to +15551234567 --to +447700900123 --text "Hi {{{contact.firstName}}}" --yes
  sakari messages send --to +15551234567 --text "Menu" --media https://example.com/menu.jpg --yes --format json
  sakari messages send --to +15551234567 --media https://example.com/menu.jpg --type MMS --yes`;

export const SANDBOX_HELP = `Usage: sakari sandbox [options]

Runs a local, stateful stand-in of Sakari's messages API on 127.0.0.1 until Ctrl-C.

Options:
  --port N                  port to listen on, 0 to 65535; 0 picks a free one (default 0)
  --messages N              how many messages to generate, at most 16777215 (default 100)
  --seed N                  seed of the generated data and of the churn, a whole number (default 1)
  --latency MS              delay added before every answer, in ms (default 0)
  --debug                   stack traces on stderr
  -h, --help                show this help

Shapes of list answers that Sakari's own API document allows (default: the full shape):
  --shape sakari            pagination as that document shows it: no hasNext (the flags
                            below add to it)
  --no-has-next             leave pagination.hasNext out
  --no-total-count          leave pagination.totalCount out
  --no-pagination           leave the pagination object out
  --page-cap N              serve at most N messages a page (N >= 1) while pagination.limit
                            echoes the limit asked
  --idless-every N          serve every Nth message of a list without its id (N >= 1)
  --drift-every N           serve every Nth message of a list unlike the spec: segments a
                            string, an undeclared sandboxDrift property, no id (N >= 1)

Churn before each list request (messages arriving and going while a client pages):
  --inserts-per-request N   put N new messages on top, 0 to 1000 (default 0)
  --deletes-per-request N   delete N messages at random positions, 0 to 1000 (default 0)

Examples:
  sakari sandbox --messages 2500
  sakari sandbox --port 4011 --latency 50     # then, in another shell, the printed
                                              # export lines and: sakari messages list --all
  sakari sandbox --shape sakari --page-cap 30 --deletes-per-request 1`;

export const MOCK_HELP = `Usage: sakari mock [--port N] [--dynamic [--seed N]]

Runs Stoplight Prism on this package's bundled spec (generated/openapi.json) on 127.0.0.1,
prints the SAKARI_* settings that point the CLI or the library at it once it listens, and
stops it on Ctrl-C. Prism is a dev dependency of your project:
  npm install --save-dev @stoplight/prism-cli@5.14.2

Prism answers a request that fits the spec with the spec's example, and one that breaks it
with 400 or 401 and an sl-violations header saying why. Ask for an error with a header:
Prefer: code=429 (400, 401, 403, 404, 429, 500). Its request log goes to stderr.

Options:
  --port N              port to listen on, 1 to 65535 (default 4010)
  --dynamic             make bodies up from the schemas instead of the spec's examples
  --seed N              with --dynamic: makes the bodies reproducible
  --debug               stack traces on stderr
  -h, --help            show this help

Examples:
  sakari mock
  sakari mock --port 4020 --dynamic --seed 7
  sakari mock > mock.log 2>&1 &   # in CI: see the README for the wait and the settings`;
