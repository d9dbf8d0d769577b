// actors: the C++ actor runtime in JavaScript (browser and node).
//
//   import { createRuntime } from './actors.mjs';
//   const runtime = await createRuntime();
//   const engine = runtime.createEngine();
//   const greeter = engine.spawn('greeter', { receive(ctx, msg) { return `hello ${msg.name}`; } });
//   console.log(await engine.request(greeter, { name: 'web' }));   // "hello web"
//
// The engine runs cooperatively on the page's own thread. It runs as soon as work arrives (a
// microtask after the code that sent it), for at most `tickBudgetMs` (default 4 ms) before it
// yields to the event loop, so a request to an idle engine answers within microseconds and the
// page is never blocked for longer than the budget.
// Messages are JSON-compatible values; anything else is refused with a TypeError that names where
// in the value the problem is. Between JS actors of one engine the value itself is handed over
// (never turned into JSON and back), so a sender must not change a message after sending it.

let modulePromise = null;

async function loadModule(options = {}) {
  const args = { ...options };
  if (typeof process === 'object' && process.versions?.node) {
    // Emscripten 3.1.6's ES6 output expects CommonJS's require/__dirname under node and cannot
    // fetch a file: URL, so we provide both and hand it the wasm bytes ourselves.
    const { createRequire } = await import('node:module');
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const { dirname } = await import('node:path');
    globalThis.require ??= createRequire(import.meta.url);
    // Not new URL('.', import.meta.url): a bundler reads that as a file reference and emits a
    // second, unused copy of this module.
    globalThis.__dirname ??= dirname(fileURLToPath(import.meta.url));
    args.wasmBinary ??= await readFile(new URL('./actors_wasm.wasm', import.meta.url));
  } else {
    // The .wasm is found relative to this module, written so that bundlers (Vite, webpack 5)
    // see the literal URL, copy the file and rewrite the address when they move the module.
    const wasmUrl = new URL('./actors_wasm.wasm', import.meta.url).href;
    args.locateFile ??= (file, prefix) => (file.endsWith('.wasm') ? wasmUrl : prefix + file);
  }
  const { default: createActorsWasm } = await import('./actors_wasm.mjs');
  return createActorsWasm(args);
}

/** Errors from the runtime carry a machine-readable `code` (e.g. 'timeout', 'no_such_actor'). */
export class ActorsError extends Error {
  constructor(message, code = 'error') {
    super(message);
    this.name = 'ActorsError';
    this.code = code;
  }
}

function unwrap(resultJson) {
  const r = JSON.parse(resultJson);
  if (!r.ok) throw new ActorsError(r.error, r.code);
  return r.value;
}

// The engine's JSON parser refuses deeper nesting (512, minus room for the envelopes around a
// message), and text it cannot hold as UTF-8: a UTF-16 surrogate without its other half.
const MAX_DEPTH = 500;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function checkText(s, what) {
  const m = LONE_SURROGATE.exec(s);
  if (m) throw new TypeError(`${what} contains a lone UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16)} at index ${m.index}); messages must be valid Unicode text`);
}

// Whether `v` is JSON-compatible, without building the path of every field: the common case is a
// valid message, and the exact error (describe() below) is worked out only when it is not.
// `ancestors` holds the objects being walked, for cycles (nesting is shallow, so a list is cheap).
const SURROGATE = /[\uD800-\uDFFF]/;
const ancestors = [];
function isJson(v, depth) {
  if (depth > MAX_DEPTH) return false;
  switch (typeof v) {
    case 'string': return !SURROGATE.test(v) || !LONE_SURROGATE.test(v);
    case 'boolean': return true;
    case 'number': return Number.isFinite(v);
    case 'object': break;
    default: return false;
  }
  if (v === null) return true;
  if (ancestors.includes(v)) return false;
  if (Array.isArray(v)) {
    ancestors.push(v);
    for (let i = 0; i < v.length; i++) if (!(i in v) || !isJson(v[i], depth + 1)) return false;
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    ancestors.push(v);
    for (const k of Object.keys(v)) {
      if (SURROGATE.test(k) && LONE_SURROGATE.test(k)) return false;
      if (!isJson(v[k], depth + 1)) return false;
    }
  }
  ancestors.pop();
  return true;
}

// JSON text for C++, written as UTF-8 straight into wasm memory in the same walk that checks the
// value: a message to a C++ actor would otherwise be walked by the check, again by JSON.stringify,
// and a third time to copy the string into wasm. Returns the position after the text, NO_ROOM
// when it would pass `end` (the caller grows the buffer or falls back), or NOT_JSON (the caller
// asks describe() for the error). Only the value must match JSON.stringify's, not the text:
// every character that needs an escape gets \u00XX.
const NO_ROOM = -1;
const NOT_JSON = -2;
const HEX = '0123456789abcdef';
function writeJson(v, heap, at, end, depth) {
  if (depth > MAX_DEPTH) return NOT_JSON;
  switch (typeof v) {
    case 'string': return writeString(v, heap, at, end);
    case 'boolean': return writeAscii(v ? 'true' : 'false', heap, at, end);
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) return writeInt(v, heap, at, end);
      return Number.isFinite(v) ? writeAscii(String(v), heap, at, end) : NOT_JSON;
    case 'object': break;
    default: return NOT_JSON;
  }
  if (v === null) return writeAscii('null', heap, at, end);
  if (ancestors.includes(v)) return NOT_JSON;
  ancestors.push(v);
  if (Array.isArray(v)) {
    if (at >= end) return NO_ROOM;
    heap[at++] = 0x5b;  // [
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return NOT_JSON;
      if (i > 0) {
        if (at >= end) return NO_ROOM;
        heap[at++] = 0x2c;  // ,
      }
      at = writeJson(v[i], heap, at, end, depth + 1);
      if (at < 0) return at;
    }
    if (at >= end) return NO_ROOM;
    heap[at++] = 0x5d;  // ]
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return NOT_JSON;
    if (at >= end) return NO_ROOM;
    heap[at++] = 0x7b;  // {
    let first = true;
    // for-in, not Object.keys: no array per object. The prototype is Object.prototype or null
    // (checked above), which have no enumerable properties of their own.
    for (const k in v) {
      if (!first) {
        if (at >= end) return NO_ROOM;
        heap[at++] = 0x2c;
      }
      first = false;
      at = writeString(k, heap, at, end);
      if (at < 0) return at;
      if (at >= end) return NO_ROOM;
      heap[at++] = 0x3a;  // :
      at = writeJson(v[k], heap, at, end, depth + 1);
      if (at < 0) return at;
    }
    if (at >= end) return NO_ROOM;
    heap[at++] = 0x7d;  // }
  }
  ancestors.pop();
  return at;
}
// A 32-bit integer's digits without making a string (most numbers in messages are small ints).
function writeInt(v, heap, at, end) {
  if (at + 11 > end) return NO_ROOM;
  if (v < 0) {
    heap[at++] = 0x2d;  // -
    if (v === -2147483648) return writeAscii('2147483648', heap, at, end);
    v = -v;
  }
  if (v < 10) {
    heap[at++] = 0x30 + v;
    return at;
  }
  let digits = 0;
  for (let x = v; x > 0; x = (x / 10) | 0) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    heap[i] = 0x30 + (v % 10);
    v = (v / 10) | 0;
  }
  return at + digits;
}
function writeAscii(text, heap, at, end) {
  if (at + text.length > end) return NO_ROOM;
  for (let i = 0; i < text.length; i++) heap[at++] = text.charCodeAt(i);
  return at;
}
function writeString(text, heap, at, end) {
  // Worst case 6 bytes per UTF-16 unit (\u00XX), plus the quotes: checked once, not per byte.
  if (at + text.length * 6 + 2 > end) return NO_ROOM;
  heap[at++] = 0x22;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c < 0x20 || c === 0x22 || c === 0x5c) {
        heap[at++] = 0x5c; heap[at++] = 0x75; heap[at++] = 0x30; heap[at++] = 0x30;
        heap[at++] = HEX.charCodeAt(c >> 4); heap[at++] = HEX.charCodeAt(c & 15);
      } else {
        heap[at++] = c;
      }
    } else if (c < 0x800) {
      heap[at++] = 0xc0 | (c >> 6); heap[at++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return NOT_JSON;  // a lone surrogate
      i++;
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      heap[at++] = 0xf0 | (c >> 18); heap[at++] = 0x80 | ((c >> 12) & 63);
      heap[at++] = 0x80 | ((c >> 6) & 63); heap[at++] = 0x80 | (c & 63);
    } else {
      heap[at++] = 0xe0 | (c >> 12); heap[at++] = 0x80 | ((c >> 6) & 63); heap[at++] = 0x80 | (c & 63);
    }
  }
  heap[at++] = 0x22;
  return at;
}

/** Throws the TypeError toJson would, naming the path of the first value JSON cannot hold. */
export function checkJson(value, what = 'message') {
  if (ancestors.length !== 0) ancestors.length = 0;  // a walk that a throwing getter cut short
  if (isJson(value, 0)) return;
  ancestors.length = 0;  // isJson stopped part-way down
  describe(value, what);
}

// Strict conversion to JSON text: null, booleans, finite numbers, strings, arrays and plain
// objects only. JSON.stringify alone would silently turn NaN into null and drop functions.
export function toJson(value, what = 'message') {
  checkJson(value, what);
  return JSON.stringify(value);
}

// Throws the TypeError for the first problem in `value` (the slow, precise walk).
function describe(value, what) {
  const seen = new Set();
  const check = (v, path, depth) => {
    if (depth > MAX_DEPTH) throw new TypeError(`${path} is nested more than ${MAX_DEPTH} levels deep; messages must be flatter`);
    switch (typeof v) {
      case 'string':
        checkText(v, path);
        return;
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(v)) throw new TypeError(`${path} is ${v}; messages must be JSON-compatible (finite numbers only)`);
        return;
      case 'undefined':
        throw new TypeError(`${path} is undefined; messages must be JSON-compatible (use null)`);
      case 'function':
      case 'symbol':
      case 'bigint':
        throw new TypeError(`${path} is a ${typeof v}; messages must be JSON-compatible values`);
      default:
        break;
    }
    if (v === null) return;
    if (seen.has(v)) throw new TypeError(`${path} refers back to itself; messages cannot be circular`);
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw new TypeError(`${path}[${i}] is a hole in a sparse array; messages must be JSON-compatible`);
        check(v[i], `${path}[${i}]`, depth + 1);
      }
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`${path} is a ${v.constructor?.name ?? 'non-plain object'}; messages must be plain objects, arrays and primitives`);
      for (const [k, e] of Object.entries(v)) {
        checkText(k, `${path} has a key that`);
        check(e, `${path}.${k}`, depth + 1);
      }
    }
    seen.delete(v);
  };
  check(value, what, 0);
  throw new TypeError(`${what} is not JSON-compatible`);  // isJson and check disagree: a bug here
}

function requireString(v, what) {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string, got ${v === null ? 'null' : typeof v}`);
}
function requirePid(v, what = 'pid') {
  requireString(v, what);
  if (!/^<\d+\.\d+\.\d+>$/.test(v)) throw new TypeError(`${what} '${v}' is not a pid (expected "<node.id.generation>")`);
}
// Only the type here (a string would be coerced by the binding); the engine checks the range.
function requireDelay(ms, what) {
  if (typeof ms !== 'number') throw new TypeError(`${what}(ms, pid, msg): ms must be a number of milliseconds, got ${ms === null ? 'null' : typeof ms}`);
}
function requireBehaviour(b) {
  if (typeof b === 'function') return { receive: b };
  if (b === null || typeof b !== 'object' || typeof b.receive !== 'function')
    throw new TypeError('behaviour must be a function (ctx, msg) => reply, or an object with receive(ctx, msg) and optional started(ctx)/stopped(ctx)');
  return b;
}
function requireOptions(options, what) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${what} must be an object (a plain object, not an array or null)`);
}
// Options may leave a key undefined to mean "the default".
function withoutUndefined(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out = {};
  for (const [k, e] of Object.entries(v)) if (e !== undefined) out[k] = withoutUndefined(e);
  return out;
}
function optionsJson(options, what) {
  if (options === undefined) return '{}';
  requireOptions(options, what);
  return toJson(withoutUndefined(options), what);
}
// {timeoutMs} for requests: only that key, a finite non-negative number (0 = engine default).
function requestTimeout(options, what) {
  if (options === undefined) return 0;
  requireOptions(options, `${what} options`);
  for (const k of Object.keys(options))
    if (k !== 'timeoutMs') throw new TypeError(`${what} options has an unknown option '${k}' (only timeoutMs)`);
  const { timeoutMs = 0 } = options;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || !Number.isFinite(timeoutMs))
    throw new TypeError(`${what}: timeoutMs must be a non-negative number of milliseconds (0 = the engine default)`);
  return timeoutMs;
}

const SEND_STATUS = ['delivered', 'dropped', 'rejected', 'dead_letter'];
const PID_PARTS = /^<(\d+)\.(\d+)\.(\d+)>$/;
// How deliver() (called from C++, wasm/bindings.cpp: DeliveryKind) is asked to run a behaviour:
// 0 a message, 1 a request, 2 started(), 3 stopped().
const DELIVER_REQUEST = 1;
const DELIVER_STARTED = 2;
const HOOK_NAMES = ['receive', 'receive', 'started', 'stopped'];
let nextEngineId = 1;
const utf8 = new TextEncoder();

// After a turn that used its whole budget the engine yields to the event loop before the next
// one (a macrotask, so input, rendering and I/O get their turn): setImmediate under node, a
// MessageChannel in a browser (setTimeout(0) would wait 1 to 4 ms).
let yieldThen = null;
function macrotask(fn) {
  if (yieldThen === null) {
    if (typeof setImmediate === 'function') {
      yieldThen = setImmediate;
    } else {
      const queue = [];
      const channel = new MessageChannel();
      channel.port1.onmessage = () => queue.shift()();
      yieldThen = (f) => { queue.push(f); channel.port2.postMessage(0); };
    }
  }
  yieldThen(fn);
}

/** What a handler is given; valid only while that handler runs. */
class Context {
  #core;
  #slotRequest;
  #valid = true;
  constructor(core, slotRequest) {
    this.#core = core;
    this.#slotRequest = slotRequest;
  }
  // The handler returned: from now on every use throws.
  static end(ctx) { ctx.#valid = false; }

  #live(what) {
    if (!this.#valid) throw new ActorsError(`ctx.${what} used after its handler returned; ctx is only valid during the call`, 'logic_error');
  }
  #info(what) {
    this.#live(what);
    return unwrap(this.#core.native.ctxInfo());
  }
  get self() { return this.#info('self').self; }
  get parent() { return this.#info('parent').parent; }
  get name() { return this.#info('name').name; }
  get sender() { return this.#info('sender').sender; }

  send(pid, msg) { this.#live('send'); return this.#core.send(pid, msg); }
  reply(msg) {
    this.#live('reply');
    const { native } = this.#core;
    if (this.#slotRequest) {
      checkJson(msg, 'reply');
      unwrap(native.ctxReplySlot(this.#core.put(msg)));
    } else {
      unwrap(native.ctxReply(toJson(msg, 'reply')));
    }
  }
  request(pid, msg, callback, options) {
    this.#live('request');
    requirePid(pid);
    if (typeof callback !== 'function') throw new TypeError('ctx.request(pid, msg, callback): callback must be a function (ctx, result)');
    const timeoutMs = requestTimeout(options, 'ctx.request');
    const core = this.#core;
    // To a JS actor of this engine the value (and the reply) stay JS values, as for send.
    const to = core.jsActor(pid);
    const body = to === undefined ? toJson(msg) : (checkJson(msg), msg);
    const id = core.addCallback(callback);
    try {
      if (to === undefined) unwrap(core.native.ctxRequest(pid, body, timeoutMs, id));
      else unwrap(core.native.ctxRequestSlot(to[0], to[1], to[2], core.put(body), timeoutMs, id));
    } catch (e) {
      this.#core.dropCallback(id);
      throw e;
    }
  }
  spawn(name, behaviour, options) { this.#live('spawn'); return this.#core.spawn(name, behaviour, options); }
  stop(pid) { this.#live('stop'); if (pid === undefined) pid = this.self; requirePid(pid); unwrap(this.#core.native.stop(pid)); }
  watch(pid) { this.#live('watch'); requirePid(pid); unwrap(this.#core.native.ctxWatch(pid, true)); }
  unwatch(pid) { this.#live('unwatch'); requirePid(pid); unwrap(this.#core.native.ctxWatch(pid, false)); }
  // Timer messages stay JSON: a repeating timer delivers one value many times.
  sendAfter(ms, pid, msg) { this.#live('sendAfter'); requireDelay(ms, 'ctx.sendAfter'); requirePid(pid); return unwrap(this.#core.native.ctxSendAfter(ms, pid, toJson(msg), false)); }
  sendRepeat(ms, pid, msg) { this.#live('sendRepeat'); requireDelay(ms, 'ctx.sendRepeat'); requirePid(pid); return unwrap(this.#core.native.ctxSendAfter(ms, pid, toJson(msg), true)); }
  cancelTimer(id) {
    this.#live('cancelTimer');
    if (!Number.isInteger(id)) throw new TypeError('ctx.cancelTimer(id): id must be a timer id from ctx.sendAfter/sendRepeat');
    return unwrap(this.#core.native.cancelTimer(id));
  }
  publish(topic, data = '') {
    this.#live('publish');
    requireString(topic, 'topic');
    checkText(topic, 'topic');
    unwrap(this.#core.native.ctxPublish(topic, typeof data === 'string' ? data : toJson(data, 'data')));
  }
}

/** One engine: its own actors, mailboxes, timers and event stream. */
function randomHex() {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What engine.connect returns: one link to a node in another process. */
export class Link {
  #url;
  #name;
  #ready;
  #lookup;
  constructor(url, name, ready, lookup) {
    this.#url = url;
    this.#name = name;
    this.#ready = ready;
    this.#lookup = lookup;
  }
  /** The URL dialled. */
  get url() { return this.#url; }
  /** This engine's node name on the link. */
  get name() { return this.#name; }
  /** Resolves with the other node's name once linked; rejects (ActorsError 'invalid_argument' with the server's reason) when it refuses this engine (a wrong token, ...). */
  get ready() { return this.#ready; }
  /** The Pid of an actor registered under `name` on the other node, or null when there is none. */
  async lookup(name) {
    const node = await this.#ready;
    return this.#lookup(node, name);
  }
}

export class Engine {
  #Module;
  #native;
  #id;
  #core;
  #tickBudgetMs;
  #timer = null;
  #timerDue = 0;
  #turnQueued = false;  // a microtask or macrotask turn is on its way
  #inTurn = false;
  #burstMs = 0;         // engine time spent in microtask turns since the page last had a macrotask
  #stopped = false;
  #closing = false;
  #nextId = 1;
  #pending = new Map();      // request id -> {resolve, reject}
  #linkName = null;          // this engine's node name once connect() chose it
  #callbacks = new Map();    // ctx.request callback id -> fn
  #watchers = new Map();     // watch id -> resolve
  #subscribers = new Map();  // subscription id -> callback
  #flushQueued = false;
  // Values in flight between JS actors (js_slot.hpp): C++ carries the index. Slot 0 means none.
  #slots = [undefined];
  #freeSlots = [];
  // Behaviour objects by the number C++ holds for them.
  #behaviours = [undefined];
  #freeBehaviours = [];
  #pidOfBehaviour = [undefined];    // so that #jsActors forgets an actor with its behaviour
  #actorOfBehaviour = [undefined];  // and #jsIds
  // The JS actors of this engine: actor id -> behaviour number. Spawning only adds a number key
  // here (a string-keyed entry and an array per actor were a quarter of what a spawn cost in JS).
  #jsIds = new Map();
  // The JS actors sent to so far: pid -> [node, id, generation], for the direct send; filled on
  // the first send (#jsActor). A pid that is not a JS actor of this engine (a C++ actor, another
  // engine's, a mistyped one) takes the JSON path.
  #jsActors = new Map();
  // Any other pid seen, as numbers for the direct send, or null when its parts are too large
  // for a double to carry exactly (those take Embind's string path, which refuses them).
  #pids = new Map();
  #node = null;  // this engine's node number, the first part of its pids
  // The C++ buffer that JSON for C++ actors is written into (actors_scratch).
  #scratch = 0;
  #scratchBytes = 0;
  #error = '';

  constructor(Module, options = {}) {
    requireOptions(options, 'engine options');
    const { tickBudgetMs = 4, ...engineOptions } = options;
    if (typeof tickBudgetMs !== 'number' || !(tickBudgetMs > 0) || tickBudgetMs > 60_000)
      throw new TypeError('tickBudgetMs must be a number of milliseconds above 0 and at most 60000 (a tick that long would freeze the page)');
    this.#tickBudgetMs = tickBudgetMs;
    const json = optionsJson(engineOptions, 'engine options');
    unwrap(Module.JsEngine.validateOptions(json));
    this.#Module = Module;
    this.#id = nextEngineId++;
    (Module.actorsEngines ??= {})[this.#id] = this.#direct();
    try {
      this.#native = new Module.JsEngine(json, this.#shim(), this.#id);
    } catch (e) {
      delete Module.actorsEngines[this.#id];
      throw e;
    }
    this.#core = {
      native: this.#native,
      send: (pid, msg) => this.#send(pid, msg),
      put: (v) => this.#put(v),
      jsActor: (pid) => this.#jsActor(pid),
      spawn: (name, behaviour, options) => this.spawn(name, behaviour, options),
      addCallback: (fn) => { const id = this.#nextId++; this.#callbacks.set(id, fn); return id; },
      dropCallback: (id) => this.#callbacks.delete(id),
    };
  }

  #put(value) {
    const slot = this.#freeSlots.length ? this.#freeSlots.pop() : this.#slots.length;
    this.#slots[slot] = value;
    return slot;
  }
  #take(slot) {
    const value = this.#slots[slot];
    this.#slots[slot] = undefined;
    this.#freeSlots.push(slot);
    return value;
  }

  // Called from C++ as plain wasm imports (EM_JS in wasm/bindings.cpp), once per message.
  // None of these may throw.
  #direct() {
    return {
      deliver: (behaviour, slot, kind) => this.#deliver(behaviour, slot, kind),
      release: (slot) => { this.#take(slot); },
      // The actor is gone for good (C++ dropped its last incarnation and the producer).
      forgetBehaviour: (id) => {
        const pid = this.#pidOfBehaviour[id];
        if (pid !== undefined) this.#jsActors.delete(pid);
        const actor = this.#actorOfBehaviour[id];
        if (actor !== undefined && this.#jsIds.get(actor) === id) this.#jsIds.delete(actor);
        this.#pidOfBehaviour[id] = undefined;
        this.#actorOfBehaviour[id] = undefined;
        this.#behaviours[id] = undefined;
        this.#freeBehaviours.push(id);
      },
      // Subscribers' events are waiting in C++: take them all after this turn, never inside it.
      eventsPending: () => {
        if (this.#flushQueued) return;
        this.#flushQueued = true;
        queueMicrotask(() => this.#flushEvents());
      },
      // A ctx.request callback with its reply (the error cases come through the shim as JSON).
      callback: (id, slot) => {
        const value = this.#take(slot);
        const fn = this.#callbacks.get(id);
        this.#callbacks.delete(id);
        if (!fn) return 0;
        const ctx = new Context(this.#core, false);
        try {
          fn(ctx, { ok: true, value });
          return 0;
        } catch (e) {
          this.#error = e instanceof Error ? e.message : String(e);
          return -1;
        } finally {
          Context.end(ctx);
        }
      },
      settle: (id, slot) => {
        const value = this.#take(slot);
        const p = this.#pending.get(id);
        if (!p) return;
        this.#pending.delete(id);
        p.resolve(value);
      },
    };
  }

  // Returns 0, the slot of a request's reply, or -1 with the failure in #error.
  #deliver(id, slot, kind) {
    const behaviour = this.#behaviours[id];
    let msg;
    let fn;
    if (kind <= DELIVER_REQUEST) {
      msg = this.#take(slot);
      fn = behaviour.receive;
    } else {
      fn = kind === DELIVER_STARTED ? behaviour.started : behaviour.stopped;
      if (typeof fn !== 'function') return 0;
    }
    const ctx = new Context(this.#core, kind === DELIVER_REQUEST);
    try {
      const result = kind <= DELIVER_REQUEST ? fn.call(behaviour, ctx, msg) : fn.call(behaviour, ctx);
      if (result && typeof result.then === 'function') {
        this.#error = `${HOOK_NAMES[kind]} returned a Promise: handlers must finish synchronously (use ctx.request or ctx.sendAfter for later work)`;
        return -1;
      }
      if (kind === DELIVER_REQUEST && result !== undefined) {
        checkJson(result, 'reply');
        return this.#put(result);
      }
      return 0;
    } catch (e) {
      this.#error = e instanceof Error ? e.message : String(e);
      return -1;
    } finally {
      Context.end(ctx);
    }
  }

  // Called from C++ through Embind, for what is not per message. None of these may throw.
  #shim() {
    return {
      // A JSON message (from a C++ actor, a timer) or a notification to a JS actor.
      invoke: (behaviourId, method, bodyJson, isRequest) => {
        const behaviour = this.#behaviours[behaviourId];
        const fn = behaviour[method];
        if (typeof fn !== 'function') return '{"ok":true}';
        const ctx = new Context(this.#core, false);
        try {
          const result = method === 'receive' ? fn.call(behaviour, ctx, JSON.parse(bodyJson)) : fn.call(behaviour, ctx);
          if (result && typeof result.then === 'function')
            return JSON.stringify({ ok: false, error: `${method} returned a Promise: handlers must finish synchronously (use ctx.request or ctx.sendAfter for later work)` });
          if (isRequest && result !== undefined) return `{"ok":true,"reply":${toJson(result, 'reply')}}`;
          return '{"ok":true}';
        } catch (e) {
          return JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) });
        } finally {
          Context.end(ctx);
        }
      },
      takeError: () => {
        const e = this.#error;
        this.#error = '';
        return e;
      },
      callback: (id, resultJson) => {
        const fn = this.#callbacks.get(id);
        this.#callbacks.delete(id);
        if (!fn) return '{"ok":true}';
        const ctx = new Context(this.#core, false);
        try {
          const r = JSON.parse(resultJson);
          fn(ctx, r.ok ? { ok: true, value: r.value } : { ok: false, error: new ActorsError(r.error, r.code) });
          return '{"ok":true}';
        } catch (e) {
          return JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) });
        } finally {
          Context.end(ctx);
        }
      },
      settle: (id, resultJson) => {
        const p = this.#pending.get(id);
        if (!p) return;
        this.#pending.delete(id);
        const r = JSON.parse(resultJson);
        if (r.ok) p.resolve(r.value);
        else p.reject(new ActorsError(r.error, r.code));
      },
      // A socket event of a link (engine.connect) made work nobody in JS asked for.
      wake: () => this.#schedule(),
      watched: (id, infoJson) => {
        const resolve = this.#watchers.get(id);
        this.#watchers.delete(id);
        if (resolve) resolve(JSON.parse(infoJson));
      },
    };
  }

  #flushEvents() {
    this.#flushQueued = false;
    if (this.#stopped) return;
    const queue = JSON.parse(this.#native.takeEvents());
    for (const [id, event] of queue) {
      const cb = this.#subscribers.get(id);
      if (!cb) continue;
      try {
        cb(event);
      } catch (e) {
        console.error('actors: an event subscriber threw:', e);
      }
    }
  }

  #live(what) {
    if (this.#stopped) throw new ActorsError(`engine.${what}(): the engine is shut down`, 'engine_stopped');
  }

  // Every call that can create work makes sure a turn is coming.
  #call(fn) {
    const value = unwrap(fn());
    this.#schedule();
    return value;
  }

  // ctx.send and engine.send. To a JS actor of this engine the value itself travels (checked,
  // not converted); to anything else it crosses into C++ as JSON.
  #send(pid, msg) {
    const parts = this.#jsActor(pid);
    let status;
    if (parts !== undefined) {
      checkJson(msg);
      status = this.#Module._actors_send_slot(this.#id, parts[0], parts[1], parts[2], this.#put(msg));
      if (status === 3) this.#jsActors.delete(pid);  // dead letter: that actor is gone for good
    } else {
      const to = this.#pidParts(pid);
      if (to === null) return this.#call(() => this.#native.send(pid, toJson(msg)));
      const bytes = this.#writeJsonScratch(msg);
      status = this.#Module._actors_send_json(this.#id, to[0], to[1], to[2], bytes);
    }
    if (status < 0) throw new ActorsError(this.#native.lastError(), this.#native.lastErrorCode());
    this.#schedule();
    return SEND_STATUS[status];
  }

  // [node, id, generation] when `pid` is a JS actor of this engine, else undefined. Throws the
  // TypeError for a string that is not a pid.
  #jsActor(pid) {
    let parts = this.#jsActors.get(pid);
    if (parts !== undefined || this.#jsIds.size === 0) return parts;
    parts = this.#pidParts(pid);
    if (parts === null || parts[0] !== this.#node) return undefined;
    const behaviour = this.#jsIds.get(parts[1]);
    if (behaviour === undefined) return undefined;
    // Kept only under the pid spawn returned, which forgetBehaviour removes (another spelling of
    // the same actor, such as a later generation, is looked up again each time).
    if (this.#pidOfBehaviour[behaviour] === pid) this.#jsActors.set(pid, parts);
    return parts;
  }

  #pidParts(pid) {
    let parts = this.#pids.get(pid);
    if (parts !== undefined) return parts;
    requirePid(pid);
    const m = PID_PARTS.exec(pid);
    const node = Number(m[1]);
    const id = Number(m[2]);
    const generation = Number(m[3]);
    parts = node <= 0xffffffff && generation <= 0xffffffff && Number.isSafeInteger(id) ? [node, id, generation] : null;
    if (this.#pids.size >= 4096) this.#pids.clear();  // a cache, not a registry: bounded
    this.#pids.set(pid, parts);
    return parts;
  }

  // Checks `msg` and writes its JSON into the scratch buffer; returns the length in bytes.
  #writeJsonScratch(msg) {
    if (this.#scratchBytes === 0) this.#growScratch(4096);
    if (ancestors.length !== 0) ancestors.length = 0;  // a walk that a throwing getter cut short
    const at = this.#scratch;
    const end = writeJson(msg, this.#Module.HEAPU8, at, at + this.#scratchBytes, 0);
    if (end >= 0) return end - at;
    ancestors.length = 0;
    if (end === NOT_JSON) describe(msg, 'message');
    return this.#writeScratch(toJson(msg));  // larger than the buffer: measure, grow, copy
  }
  #growScratch(bytes) {
    this.#scratchBytes = Math.max(bytes, 4096);
    this.#scratch = this.#Module._actors_scratch(this.#id, this.#scratchBytes);
  }

  // Writes `text` as UTF-8 into the scratch buffer; returns its length in bytes.
  #writeScratch(text) {
    const M = this.#Module;
    const most = text.length * 3;  // UTF-8 bytes per UTF-16 unit, at most
    if (most > this.#scratchBytes) this.#growScratch(most);
    const heap = M.HEAPU8;  // read each time: growing the memory replaces it
    const at = this.#scratch;
    const n = text.length;
    if (n <= 256) {
      // Short ASCII (most JSON) is quicker to copy by hand than to hand to TextEncoder.
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        heap[at + i] = c;
      }
      if (i === n) return n;
    }
    return utf8.encodeInto(text, heap.subarray(at, at + most)).written;
  }

  #schedule(delayMs = 0) {
    if (this.#stopped) return;
    if (delayMs === 0) {
      // A turn in progress looks for more work before it ends.
      if (this.#inTurn || this.#turnQueued) return;
      this.#turnQueued = true;
      // Right after the code that made the work, unless the engine has had its budget of
      // microtask turns since the page last ran: then after a macrotask hop.
      if (this.#burstMs < this.#tickBudgetMs) queueMicrotask(this.#soon);
      else macrotask(this.#afterYield);
      return;
    }
    const due = performance.now() + delayMs;
    if (this.#timer !== null) {
      if (this.#timerDue <= due) {
        if (this.#pending.size || this.#watchers.size) this.#timer.ref?.();
        return;
      }
      clearTimeout(this.#timer);  // sooner work replaces a later wake-up
    }
    this.#timerDue = due;
    this.#timer = setTimeout(this.#onTimer, delayMs);
    // Under node, a timer kept only for housekeeping (the health monitor) must not keep the
    // process alive; outstanding requests and watches do.
    if (this.#pending.size === 0 && this.#watchers.size === 0) this.#timer.unref?.();
  }

  #soon = () => {
    this.#turnQueued = false;
    this.#turn();
  };
  #afterYield = () => {
    this.#turnQueued = false;
    this.#burstMs = 0;
    this.#turn();
  };
  #onTimer = () => {
    this.#timer = null;
    this.#burstMs = 0;
    this.#turn();
  };

  #turn() {
    if (this.#stopped) return;
    const start = performance.now();
    this.#inTurn = true;
    let next;
    try {
      next = this.#Module._actors_turn(this.#id, this.#tickBudgetMs);
    } finally {
      this.#inTurn = false;
    }
    this.#burstMs += performance.now() - start;
    if (next === -2) {
      // The budget ran out: let the page run before the next turn.
      if (!this.#turnQueued) {
        this.#turnQueued = true;
        macrotask(this.#afterYield);
      }
      return;
    }
    if (next >= 0) this.#schedule(Math.max(1, Math.ceil(next)));
  }

  /** Spawn a JS actor. `behaviour`: (ctx, msg) => reply, or {receive(ctx, msg), started(ctx), stopped(ctx)}. */
  spawn(name, behaviour, options) {
    this.#live('spawn');
    requireString(name, 'name');
    const b = requireBehaviour(behaviour);
    const json = options === undefined ? '' : optionsJson(options, 'spawn options');
    const id = this.#freeBehaviours.length ? this.#freeBehaviours.pop() : this.#behaviours.length;
    this.#behaviours[id] = b;  // from here on C++ owns the entry (it forgets it, also on failure)
    if (json !== '') {
      const pid = this.#call(() => this.#native.spawn(name, id, json));
      const m = PID_PARTS.exec(pid);
      if (m) {
        this.#node ??= Number(m[1]);
        this.#register(id, pid, Number(m[2]));
      }
      return pid;
    }
    // The common case without Embind: the name through the scratch buffer, the id back as a
    // number; a new actor's pid is <node.id.0>.
    const actor = this.#Module._actors_spawn(this.#id, id, name === '' ? 0 : this.#writeScratch(name));
    if (actor < 0) throw new ActorsError(this.#native.lastError(), this.#native.lastErrorCode());
    this.#schedule();
    this.#node ??= this.#native.node();
    const pid = `<${this.#node}.${actor}.0>`;
    this.#register(id, pid, actor);
    return pid;
  }

  #register(behaviour, pid, actor) {
    this.#jsIds.set(actor, behaviour);
    this.#pidOfBehaviour[behaviour] = pid;
    this.#actorOfBehaviour[behaviour] = actor;
  }

  /** Spawn a C++ actor registered under `kind` (see nativeKinds()). */
  spawnNative(name, kind, options) {
    this.#live('spawnNative');
    requireString(name, 'name');
    requireString(kind, 'kind');
    return this.#call(() => this.#native.spawnNative(name, kind, optionsJson(options, 'spawn options')));
  }

  /** Fire-and-forget. Returns 'delivered', 'dropped', 'rejected' or 'dead_letter'. */
  send(pid, msg) {
    this.#live('send');
    return this.#send(pid, msg);
  }

  /** Ask; resolves with the reply, rejects with an ActorsError (code 'timeout', 'no_such_actor', ...). */
  request(pid, msg, options) {
    this.#live('request');
    requirePid(pid);
    const timeoutMs = requestTimeout(options, 'request');
    const parts = this.#jsActor(pid);
    const to = parts === undefined ? this.#pidParts(pid) : parts;
    if (to === null) {
      const body = toJson(msg);
      const id = this.#nextId++;
      return new Promise((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        try {
          this.#call(() => this.#native.request(pid, body, timeoutMs, id));
        } catch (e) {
          this.#pending.delete(id);
          reject(e);
        }
      });
    }
    // Checked (and for C++, written) before the promise exists: a bad message throws here.
    let bytes = 0;
    if (parts !== undefined) checkJson(msg);
    else bytes = this.#writeJsonScratch(msg);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const M = this.#Module;
      const r = parts !== undefined
        ? M._actors_request_slot(this.#id, to[0], to[1], to[2], this.#put(msg), timeoutMs, id)
        : M._actors_request_json(this.#id, to[0], to[1], to[2], bytes, timeoutMs, id);
      if (r < 0) {
        this.#pending.delete(id);
        reject(new ActorsError(this.#native.lastError(), this.#native.lastErrorCode()));
        return;
      }
      this.#schedule();
    });
  }

  stop(pid) { this.#live('stop'); requirePid(pid); this.#call(() => this.#native.stop(pid)); }
  poison(pid) { this.#live('poison'); requirePid(pid); this.#call(() => this.#native.poison(pid)); }
  lookup(name) { this.#live('lookup'); requireString(name, 'name'); return unwrap(this.#native.lookup(name)); }
  alive(pid) { this.#live('alive'); requirePid(pid); return unwrap(this.#native.alive(pid)); }

  /**
   * Link this engine to a node in another process (a native server) over a WebSocket: `url` is
   * ws:// or wss://, `options.token` the server's token, `options.name` this engine's node name
   * (default: "tab-" and random hex; one per engine). Returns a Link at once; it dials in the
   * background and redials after a lost connection. Pids of the server's actors then work in
   * send, request, watch and ctx.*, and the server's actors can send and reply to this engine's.
   * Needs a global WebSocket (browsers; under node 20, set globalThis.WebSocket from `ws`).
   */
  connect(url, options) {
    this.#live('connect');
    requireString(url, 'url');
    if (options === null || typeof options !== 'object') throw new TypeError('connect(url, options): options must be an object with a token');
    const { token } = options;
    if (typeof token !== 'string') throw new TypeError('connect(url, options): options.token must be a string');
    if (options.name !== undefined && typeof options.name !== 'string') throw new TypeError('connect(url, options): options.name must be a string');
    if (typeof globalThis.WebSocket !== 'function')
      throw new ActorsError('connect(): this environment has no WebSocket (under node, set globalThis.WebSocket from the ws package)', 'invalid_argument');
    this.#linkName ??= options.name ?? `tab-${randomHex()}`;
    const name = options.name ?? this.#linkName;
    const id = this.#nextId++;
    const ready = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    ready.catch(() => {});  // rejected when refused: the caller's to see, not an unhandled rejection
    try {
      this.#call(() => this.#native.connect(url, JSON.stringify({ token, name }), id));
    } catch (e) {
      this.#pending.delete(id);
      throw e;
    }
    return new Link(url, name, ready, (node, actor) => this.#lookupRemote(node, actor));
  }

  #lookupRemote(node, actor) {
    this.#live('lookup');
    requireString(actor, 'name');
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#call(() => this.#native.lookupRemote(node, actor, id));
      } catch (e) {
        this.#pending.delete(id);
        reject(e);
      }
    });
  }

  /** The links made by connect(): [{node, connected}]. */
  links() { this.#live('links'); return unwrap(this.#native.links()); }
  /** The node a Pid lives on: '' for this engine, a linked node's name, or null when unknown. */
  nodeOf(pid) { this.#live('nodeOf'); requirePid(pid); return unwrap(this.#native.nodeOf(pid)); }

  /** Resolves with {pid, reason, detail, existed} when the actor stops (at once if it already has). */
  watch(pid) {
    this.#live('watch');
    requirePid(pid);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#watchers.set(id, resolve);
      this.#call(() => this.#native.watch(pid, id));
    });
  }

  /** Calls `callback(event)` for every event from now on; returns a function that unsubscribes. */
  subscribe(callback) {
    this.#live('subscribe');
    if (typeof callback !== 'function') throw new TypeError('subscribe(callback): callback must be a function');
    const id = this.#nextId++;
    this.#subscribers.set(id, callback);
    unwrap(this.#native.subscribe(id));
    return () => {
      this.#subscribers.delete(id);
      if (!this.#stopped) unwrap(this.#native.unsubscribe(id));
    };
  }

  /** Events after sequence number `seq`: {events, missed, next}. */
  eventsSince(seq = 0, max = Infinity) {
    this.#live('eventsSince');
    if (typeof seq !== 'number' || typeof max !== 'number') throw new TypeError('eventsSince(seq, max): numbers expected');
    return unwrap(this.#native.eventsSince(seq, max));
  }

  snapshot() { this.#live('snapshot'); return unwrap(this.#native.snapshot()); }
  counters() { this.#live('counters'); return unwrap(this.#native.counters()); }
  nativeKinds() { this.#live('nativeKinds'); return unwrap(this.#native.nativeKinds()); }

  /** Call a C++ extension compiled into this module (e.g. the dashboard's), with JSON args. */
  extension(name, args = null) {
    this.#live('extension');
    requireString(name, 'name');
    const json = toJson(args, 'extension args');
    return this.#call(() => this.#native.extension(name, json));
  }
  /** The extensions this module offers. */
  extensionNames() { this.#live('extensionNames'); return unwrap(this.#native.extensionNames()); }
  get running() { return !this.#stopped; }

  /** Run everything now, synchronously (tests; a page never needs it). Returns turns run. */
  runUntilIdle(maxMs = 1000) {
    this.#live('runUntilIdle');
    if (typeof maxMs !== 'number' || !(maxMs > 0))
      throw new TypeError('runUntilIdle(maxMs): maxMs must be a positive number of milliseconds');
    return this.#native.tick(maxMs);
  }

  /** Graceful: queued messages are handled, actors stop children first. Idempotent. */
  shutdown() {
    if (this.#stopped || this.#closing) return;
    this.#closing = true;
    unwrap(this.#native.shutdown());
    // The last events go out while the engine can still be read (a subscriber may ask for counters).
    this.#flushEvents();
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const [, p] of this.#pending) p.reject(new ActorsError('the engine shut down before the reply', 'engine_stopped'));
    this.#pending.clear();
    // Destroying the C++ engine releases the slots still in its mailboxes: it needs the direct
    // calls until then.
    this.#native.delete();
    delete this.#Module.actorsEngines[this.#id];
    this.#slots = [undefined];
    this.#freeSlots = [];
  }
}

/** Loads the WebAssembly module once; `createEngine` makes engines that share it. */
export async function createRuntime(moduleOptions) {
  modulePromise ??= loadModule(moduleOptions);
  const Module = await modulePromise;
  return {
    createEngine: (options) => new Engine(Module, options),
  };
}
