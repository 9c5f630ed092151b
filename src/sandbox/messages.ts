// The account's messages in server order (newest first): a base set (generated on demand, or
// given by the caller) under a layer of run-time changes. Inserts sit on top; deletions of base
// messages are a set of indices. Nothing here ever walks the whole base set to answer a page,
// except once per run to bucket generated messages by contact for the list filters.
import type { Message } from '../types.js';
import { Lru } from './lru.js';
import { CONTACT_COUNT, type StoredMessage, type World } from './world.js';

/** The list filters of `GET /v1/accounts/{accountId}/messages`. */
export interface MessageFilter {
  readonly contactId?: string | undefined;
  readonly conversationId?: string | undefined;
}

/** The messages the sandbox starts with. */
interface BaseMessages {
  readonly size: number;
  /** How many messages were built (not served from the cache) so far. */
  readonly built: number;
  /** Creation time (s) of the newest message, so later inserts can be newer still. */
  readonly newestSeconds: number;
  idAt(index: number): string;
  indexOf(id: string): number;
  at(index: number): StoredMessage;
  /** Ascending indices of the messages that pass `filter` (a non-empty filter). */
  matching(filter: MessageFilter): Int32Array;
}

const NONE = new Int32Array(0);

function filterKey(filter: MessageFilter): string {
  return `${filter.contactId ?? ''}\u0000${filter.conversationId ?? ''}`;
}

function isFiltered(filter: MessageFilter): boolean {
  return filter.contactId !== undefined || filter.conversationId !== undefined;
}

function passes(message: StoredMessage, filter: MessageFilter): boolean {
  return (
    (filter.contactId === undefined || message.contactId === filter.contactId) &&
    (filter.conversationId === undefined || message.conversationId === filter.conversationId)
  );
}

/** `size` generated messages; each is built when first asked for and kept in a small cache. */
class GeneratedMessages implements BaseMessages {
  readonly size: number;
  built = 0;
  readonly #world: World;
  // An LRU walked in a cycle longer than its capacity never hits, and building a message costs
  // more than serving it; kept ones share their contact, conversation and group chunks (about
  // 2 kB each), so 25,000 fit in ~55 MB and a repeated export of 20,000 is served from memory.
  readonly #cache = new Lru<number, StoredMessage>(25_000);
  #buckets: Int32Array[] | undefined;
  readonly #partyByContact: Map<string, number>;
  readonly #partyByConversation: Map<string, number>;

  constructor(world: World, size: number) {
    this.#world = world;
    this.size = size;
    this.#partyByContact = new Map(world.parties.map((p, k) => [p.contact.id, k]));
    this.#partyByConversation = new Map(world.parties.map((p, k) => [p.conversation.id, k]));
  }

  get newestSeconds(): number {
    return this.#world.newestGeneratedSeconds;
  }

  idAt(index: number): string {
    return this.#world.idAt(index);
  }

  indexOf(id: string): number {
    return this.#world.indexOfId(id, this.size);
  }

  at(index: number): StoredMessage {
    let message = this.#cache.get(index);
    if (!message) {
      message = this.#world.messageAt(index);
      this.built += 1;
      this.#cache.set(index, message);
    }
    return message;
  }

  matching(filter: MessageFilter): Int32Array {
    // One conversation per contact, so both filters name a cast member.
    let party = -1;
    if (filter.contactId !== undefined) party = this.#partyByContact.get(filter.contactId) ?? -2;
    if (filter.conversationId !== undefined) {
      const byConversation = this.#partyByConversation.get(filter.conversationId) ?? -2;
      if (party !== -1 && party !== byConversation) return NONE;
      party = byConversation;
    }
    if (party < 0) return NONE;
    return this.#bucket(party);
  }

  #bucket(party: number): Int32Array {
    if (!this.#buckets) {
      // Two passes over a byte per message: the contact of a message is a cheap hash of its
      // index, so no message is built.
      const owner = new Uint8Array(this.size);
      const counts = new Int32Array(CONTACT_COUNT);
      for (let i = 0; i < this.size; i++) {
        const k = this.#world.partyIndexAt(i);
        owner[i] = k;
        counts[k] = (counts[k] ?? 0) + 1;
      }
      const buckets = Array.from(counts, (n) => new Int32Array(n));
      const filled = new Int32Array(CONTACT_COUNT);
      for (let i = 0; i < this.size; i++) {
        const k = owner[i] as number;
        (buckets[k] as Int32Array)[filled[k] as number] = i;
        filled[k] = (filled[k] as number) + 1;
      }
      this.#buckets = buckets;
    }
    return this.#buckets[party] ?? NONE;
  }
}

/** A message given by the caller (its id already checked by `checkMessages`), stored. */
export function storedFromMessage(message: Message): StoredMessage {
  const created = Date.parse(message.created?.at ?? '');
  return {
    id: message.id,
    // Serialized at once: later changes to the caller's objects do not leak into the sandbox.
    json: [Buffer.from(JSON.stringify(message))],
    contactId: message.contact?.id,
    conversationId: message.conversation?.id,
    createdSeconds: Number.isNaN(created) ? 0 : Math.floor(created / 1000),
  };
}

/** Messages given by the caller, served exactly as given and in the given order. */
class GivenMessages implements BaseMessages {
  readonly size: number;
  readonly built = 0;
  readonly newestSeconds: number;
  readonly #messages: StoredMessage[];
  readonly #indexById = new Map<string, number>();
  readonly #matching = new Map<string, Int32Array>();

  constructor(messages: readonly Message[]) {
    this.#messages = messages.map(storedFromMessage);
    this.#messages.forEach((m, i) => {
      this.#indexById.set(m.id, i);
    });
    this.size = this.#messages.length;
    this.newestSeconds = Math.max(0, ...this.#messages.slice(0, 100).map((m) => m.createdSeconds));
  }

  idAt(index: number): string {
    return (this.#messages[index] as StoredMessage).id;
  }

  indexOf(id: string): number {
    return this.#indexById.get(id) ?? -1;
  }

  at(index: number): StoredMessage {
    return this.#messages[index] as StoredMessage;
  }

  matching(filter: MessageFilter): Int32Array {
    const key = filterKey(filter);
    let found = this.#matching.get(key);
    if (!found) {
      const indices: number[] = [];
      this.#messages.forEach((m, i) => {
        if (passes(m, filter)) indices.push(i);
      });
      found = Int32Array.from(indices);
      this.#matching.set(key, found);
    }
    return found;
  }
}

/** One page of a query: the matching count and the page's messages. */
export interface Slice {
  readonly total: number;
  readonly items: readonly StoredMessage[];
}

export class MessageCollection {
  readonly #base: BaseMessages;
  // Inserted messages, oldest first (so an insert is a push); server order reads them backwards.
  readonly #heads: StoredMessage[] = [];
  readonly #headsById = new Map<string, StoredMessage>();
  readonly #deleted = new Set<number>();
  #deletedSorted: number[] | undefined;
  readonly #liveMatching = new Map<string, Int32Array>();
  #newestSeconds: number;

  constructor(world: World, messages: number | readonly Message[]) {
    this.#base =
      typeof messages === 'number'
        ? new GeneratedMessages(world, messages)
        : new GivenMessages(messages);
    this.#newestSeconds = this.#base.newestSeconds;
  }

  get size(): number {
    return this.#heads.length + this.#base.size - this.#deleted.size;
  }

  /** How many base messages have been built so far (a generated set is built lazily). */
  get built(): number {
    return this.#base.built;
  }

  /** A creation time (s) for a message arriving now: never older than the newest one. */
  nextSeconds(nowMs: number): number {
    this.#newestSeconds = Math.max(Math.floor(nowMs / 1000), this.#newestSeconds + 1);
    return this.#newestSeconds;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get(id: string): StoredMessage | undefined {
    const head = this.#headsById.get(id);
    if (head) return head;
    const index = this.#base.indexOf(id);
    return index >= 0 && !this.#deleted.has(index) ? this.#base.at(index) : undefined;
  }

  ids(): string[] {
    const ids: string[] = [];
    for (let i = this.#heads.length - 1; i >= 0; i--)
      ids.push((this.#heads[i] as StoredMessage).id);
    for (let i = 0; i < this.#base.size; i++) {
      if (!this.#deleted.has(i)) ids.push(this.#base.idAt(i));
    }
    return ids;
  }

  /** The id at `position` (0-based, below `size`) of the unfiltered list, building no message. */
  idAt(position: number): string {
    const heads = this.#heads.length;
    if (position < heads) return (this.#heads[heads - 1 - position] as StoredMessage).id;
    return this.#base.idAt(this.#nthLive(position - heads));
  }

  /** Puts `messages` (newest first) on top, keeping their order. */
  insert(messages: readonly StoredMessage[]): void {
    // Callers check given ids and mint fresh ones; a duplicate here is a bug in the sandbox.
    const seen = new Set<string>();
    for (const m of messages) {
      if (seen.has(m.id) || this.has(m.id)) throw new Error(`duplicate message id ${m.id}`);
      seen.add(m.id);
    }
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i] as StoredMessage;
      this.#heads.push(m);
      this.#headsById.set(m.id, m);
      this.#newestSeconds = Math.max(this.#newestSeconds, m.createdSeconds);
    }
  }

  /** Removes a message; false when there was none with that id. */
  delete(id: string): boolean {
    const head = this.#headsById.get(id);
    if (head) {
      this.#headsById.delete(id);
      this.#heads.splice(this.#heads.indexOf(head), 1);
    } else {
      const index = this.#base.indexOf(id);
      if (index < 0 || this.#deleted.has(index)) return false;
      this.#deleted.add(index);
      this.#deletedSorted = undefined;
      this.#liveMatching.clear();
    }
    return true;
  }

  /** The messages at [offset, offset + limit) of the filtered list, and how many match in all. */
  page(offset: number, limit: number, filter: MessageFilter): Slice {
    const filtered = isFiltered(filter);
    const heads = filtered ? this.#heads.filter((m) => passes(m, filter)) : this.#heads;
    const items: StoredMessage[] = [];
    const end = offset + limit;
    for (let p = offset; p < Math.min(heads.length, end); p++) {
      items.push(heads[heads.length - 1 - p] as StoredMessage);
    }
    const baseOffset = Math.max(0, offset - heads.length);
    if (filtered) {
      const live = this.#live(filter);
      for (let p = baseOffset; p < live.length && items.length < limit; p++) {
        items.push(this.#base.at(live[p] as number));
      }
      return { total: heads.length + live.length, items };
    }
    const baseTotal = this.#base.size - this.#deleted.size;
    if (items.length < limit && baseOffset < baseTotal) {
      for (let i = this.#nthLive(baseOffset); i < this.#base.size && items.length < limit; i++) {
        if (!this.#deleted.has(i)) items.push(this.#base.at(i));
      }
    }
    return { total: heads.length + baseTotal, items };
  }

  /** The base index of the `position`-th base message that is not deleted. */
  #nthLive(position: number): number {
    if (this.#deleted.size === 0) return position;
    this.#deletedSorted ??= [...this.#deleted].sort((a, b) => a - b);
    // Every deletion at or before the candidate pushes it one further.
    let index = position;
    for (const gone of this.#deletedSorted) {
      if (gone <= index) index += 1;
      else break;
    }
    return index;
  }

  #live(filter: MessageFilter): Int32Array {
    const all = this.#base.matching(filter);
    if (this.#deleted.size === 0) return all;
    const key = filterKey(filter);
    let live = this.#liveMatching.get(key);
    if (!live) {
      live = all.filter((i) => !this.#deleted.has(i));
      this.#liveMatching.set(key, live);
    }
    return live;
  }
}
