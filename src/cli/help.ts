// The help texts, each with examples. Kept together so they read as one manual.
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';

const CONNECTION = `Connection (flags win over the variables):
  --account ID          the account                          SAKARI_ACCOUNT_ID
  --client-id ID        API client id                        SAKARI_CLIENT_ID
  --client-secret S     API client secret                    SAKARI_CLIENT_SECRET
  --token T             a bearer token, instead of the two   SAKARI_TOKEN
  --base-url URL        API origin (https://api.sakari.io)   SAKARI_BASE_URL
  --timeout MS          per attempt, 1-600000 (default 30000)
  --retries N           retries of a failed request, 0-10 (default 2)
  --debug               stack traces and retries on stderr (never a secret)

  Put secrets in the environment, not in flags: a flag shows in shell history and in ps.
  With no SAKARI_* variable and no connection flag, the command runs against a built-in
  sandbox of 2,500 sample messages (one line on stderr says so).`;

const FORMAT = `  --format F            table, json, ndjson or csv (default: table at a terminal,
                        ndjson in a pipe)`;

export const MAIN_HELP = `sakari: Sakari SMS messages from the command line

Usage: sakari <command> [options]

Commands:
  messages list         list messages, or export them all (--all)
  messages get ID       show one message
  messages send         send a message to one or more numbers
  sandbox               run a local sandbox of the Sakari messages API

Options:
  -h, --help            show this help ('sakari <command> --help' for a command's)
  -v, --version         print the version

${CONNECTION}

Exit codes: 0 success, 1 API or network error, 2 usage error (nothing was sent),
130 interrupted (Ctrl-C).

Examples:
  sakari messages list --all                          # the built-in sandbox, as a table
  sakari messages list --all --format ndjson | wc -l  # 2500
  export SAKARI_ACCOUNT_ID=… SAKARI_CLIENT_ID=… SAKARI_CLIENT_SECRET=…
  sakari messages list --limit 50
  sakari messages list --all --format csv > messages.csv
  sakari messages send --to +15551234567 --text "Your table is ready"`;

export const MESSAGES_HELP = `Usage: sakari messages <list|get|send> [options]

Commands:
  list                  list messages, or export them all (--all)
  get ID                show one message
  send                  send a message to one or more numbers

Run 'sakari messages <command> --help' for a command's options.`;

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
${FORMAT}
  -h, --help            show this help

  With --all at a terminal, a progress line on stderr shows done / total, rate and ETA.
  On an error or Ctrl-C, every message already fetched has been written in full.

${CONNECTION}

Examples:
  sakari messages list
  sakari messages list --all --format ndjson > messages.ndjson
  sakari messages list --all --format csv --concurrency 8 > messages.csv
  sakari messages list --contact 6703ed1bb042537cf96a0952 --format json
  sakari messages list --all --max 500 --format ndjson | jq -r .message`;

export const GET_HELP = `Usage: sakari messages get ID [options]

Shows one message: every field at a terminal (table), or the message as JSON.

Options:
${FORMAT}
  -h, --help            show this help

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
  -h, --help            show this help

  Prints the job id, how many recipients were valid, and the queued messages' ids.
  A send is never retried once Sakari may have received it (no duplicate messages).

${CONNECTION}

Examples:
  sakari messages send --to +15551234567 --text "Your table is ready"
  sakari messages send --to +15551234567 --to +447700900123 --text "Hi {{{contact.firstName}}}" --yes
  sakari messages send --to +15551234567 --text "Menu" --media https://example.com/menu.jpg --yes --format json
  sakari messages send --to +15551234567 --media https://example.com/menu.jpg --type MMS --yes`;
