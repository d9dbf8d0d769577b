// Types for actors.mjs: the actors runtime compiled to WebAssembly.

/** "<node.id.generation>", e.g. "<1.42.0>". */
export type Pid = string;

/** What messages are made of: anything JSON can hold. Between JS actors of one engine the value
 * itself is handed over (checked, never copied), so do not change a message after sending it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type ErrorCode =
  | 'timeout' | 'no_such_actor' | 'actor_stopped' | 'mailbox_full' | 'handler_failed' | 'no_reply'
  | 'engine_stopped' | 'invalid_argument' | 'invalid_json' | 'logic_error' | 'error'
  /** A request to a linked node's actor (engine.connect) whose node went away. */
  | 'node_down'
  /** A service the call depends on does not answer (a cluster's store): retry later. */
  | 'unavailable';

export class ActorsError extends Error {
  readonly code: ErrorCode;
}

/** Throws TypeError naming the path of the first value JSON cannot hold. */
export function toJson(value: unknown, what?: string): string;
/** The check toJson makes, without the conversion: throws the same TypeError. */
export function checkJson(value: unknown, what?: string): void;

export type SendStatus = 'delivered' | 'dropped' | 'rejected' | 'dead_letter';

/** Notifications the runtime itself delivers to JS actors. */
export type Notification =
  | { $type: 'terminated'; pid: Pid; reason: StopReason; detail: string; existed: boolean }
  | { $type: 'mailbox_full'; target: Pid; messageType: string }
  | { $type: 'event'; event: ActorEvent }
  | { $type: 'native'; messageType: string };

export type RequestResult = { ok: true; value: Json } | { ok: false; error: ActorsError };

/** Valid only while the handler it was given to runs. */
export interface Context {
  readonly self: Pid;
  readonly parent: Pid | null;
  readonly name: string;
  readonly sender: Pid | null;
  send(pid: Pid, msg: Json): SendStatus;
  /** Answer the request being handled (or return the answer from receive). */
  reply(msg: Json): void;
  /** The callback runs later as part of this actor. */
  request(pid: Pid, msg: Json, callback: (ctx: Context, result: RequestResult) => void, options?: { timeoutMs?: number }): void;
  spawn(name: string, behaviour: Behaviour, options?: SpawnOptions): Pid;
  /** Stop this actor (no argument) or another one. */
  stop(pid?: Pid): void;
  watch(pid: Pid): void;
  unwatch(pid: Pid): void;
  /** Timers belong to the actor: cancelled when it stops or restarts. Return a timer id. */
  sendAfter(ms: number, pid: Pid, msg: Json): number;
  sendRepeat(ms: number, pid: Pid, msg: Json): number;
  cancelTimer(id: number): boolean;
  publish(topic: string, data?: Json): void;
}

/** A handler returns the reply to a request (or undefined for none); throwing is a failure. */
export type ReceiveFn = (ctx: Context, msg: Json | Notification) => Json | undefined | void;
export type Behaviour =
  | ReceiveFn
  | { receive: ReceiveFn; started?(ctx: Context): void; stopped?(ctx: Context): void };

export interface SupervisorOptions {
  strategy?: 'one_for_one' | 'all_for_one';
  directive?: 'restart' | 'resume' | 'stop' | 'escalate';
  restart?: 'immediate' | 'fixed' | 'backoff';
  delayMs?: number; minMs?: number; maxMs?: number; factor?: number; jitter?: number;
  maxRestarts?: number; windowMs?: number;
}

export interface SpawnOptions {
  mailboxCapacity?: number;
  overflow?: 'drop_newest' | 'drop_oldest' | 'reject_sender';
  /** How this actor supervises its children. */
  supervisor?: SupervisorOptions;
}

export interface EngineOptions {
  /** Longest the engine runs before yielding to the page (default 4 ms). */
  tickBudgetMs?: number;
  mailboxCapacity?: number;
  eventRingCapacity?: number;
  throughput?: number;
  requestTimeoutMs?: number;
  seed?: number;
  health?: { enabled?: boolean; intervalMs?: number; mailboxLagMs?: number; slowHandlerMs?: number };
  /** Periodic 'stats' events: engine counters and the actors whose mailbox or counters moved. */
  stats?: { enabled?: boolean; intervalMs?: number };
}

export type StopReason = 'requested' | 'parent_stopped' | 'failed' | 'engine_shutdown' | 'node_down';

interface EventBase { seq: number; timeMs: number }
export type ActorEvent = EventBase & (
  | { kind: 'spawned'; pid: Pid; parent: Pid | null; name: string; mailboxCapacity: number }
  | { kind: 'started'; pid: Pid }
  | { kind: 'stopped'; pid: Pid; reason: StopReason; detail: string }
  | { kind: 'dead_letter'; target: Pid | null; sender: Pid | null; messageType: string; reason: string }
  | { kind: 'mailbox_overflow'; pid: Pid; capacity: number; policy: string; messageType: string }
  | { kind: 'failed'; pid: Pid; error: string; messageType: string; totalFailures: number }
  | { kind: 'restarted'; pid: Pid; restarts: number; totalRestarts: number; delayMs: number; nextDelayMs: number; generation: number; reason: string }
  | { kind: 'resumed'; pid: Pid; reason: string }
  | { kind: 'max_restarts_exceeded'; pid: Pid; restarts: number; windowMs: number }
  | { kind: 'escalated'; from: Pid; to: Pid | null; reason: string }
  | { kind: 'unhealthy'; pid: Pid; signal: 'check_failed' | 'mailbox_lag' | 'slow_handler'; measuredMs: number; detail: string }
  | { kind: 'healthy'; pid: Pid; signal: 'check_failed' | 'mailbox_lag' | 'slow_handler'; measuredMs: number }
  | { kind: 'custom'; source: Pid | null; topic: string; data: string }
  | { kind: 'stats'; intervalMs: number; counters: Counters; actors: ActorSample[]; links: LinkStats[] }
  | { kind: 'events_missed'; firstSeq: number; count: number }
  | { kind: 'node_connected'; node: string; incarnation: string; alias: number; restarted: boolean }
  | { kind: 'node_disconnected'; node: string; reason: string }
  | { kind: 'node_down'; node: string; reason: string }
  | { kind: 'link_replayed'; node: string; count: number }
  | { kind: 'member_joined'; member: string; address: string; kinds: string[] }
  | { kind: 'member_left'; member: string; address: string; reason: 'graceful' | 'lease_expired' }
  // A virtual actor's activation (cluster/): `actorKind` is the kind it was registered as.
  | { kind: 'activation_started'; actorKind: string; identity: string; member: string; pid: Pid | null }
  | { kind: 'activation_stopped'; actorKind: string; identity: string; member: string; pid: Pid | null;
      reason: 'passivated' | 'handed_over' | 'lost' | 'failed' | 'shutdown' });

export interface ActorSample {
  pid: Pid; mailboxDepth: number; received: number; processed: number; deadLettered: number; dropped: number; sent: number;
}

export interface Counters {
  sent: number; processed: number; deadLettered: number; dropped: number; inFlight: number;
  spawned: number; stopped: number; restarts: number; failures: number; liveActors: number;
}

export interface ActorInfo {
  pid: Pid; name: string; parent: Pid | null;
  state: 'starting' | 'running' | 'suspended' | 'restarting' | 'stopping' | 'stopped';
  mailboxDepth: number; mailboxCapacity: number; overflow: string;
  received: number; processed: number; deadLettered: number; dropped: number; sent: number;
  restarts: number; failures: number; health: number; lastError: string; children: Pid[];
}

/** One link to another node (remote actors), as the engine's router reports it. */
export interface LinkStats {
  node: string; incarnation: string; connected: boolean; down: boolean;
  sent: number; acknowledged: number; replayed: number; delivered: number; duplicatesDropped: number;
  deadLettered: number; inFlight: number; bytesOut: number; bytesIn: number; rttMs: number;
}
export interface Snapshot { lastSeq: number; timeMs: number; counters: Counters; actors: ActorInfo[]; links: LinkStats[] }

/** One link to a node in another process (engine.connect). */
export class Link {
  readonly url: string;
  /** This engine's node name on the link. */
  readonly name: string;
  /** The other node's name once linked; rejects with ActorsError('invalid_argument') carrying the server's reason when it refuses (a wrong token). */
  readonly ready: Promise<string>;
  /** An actor registered under `name` on the other node, or null. */
  lookup(name: string): Promise<Pid | null>;
}

export interface ConnectOptions {
  /** The server's token. */
  token: string;
  /** This engine's node name (unique among the server's peers); default "tab-" + random hex. */
  name?: string;
}

export class Engine {
  spawn(name: string, behaviour: Behaviour, options?: SpawnOptions): Pid;
  /** Link to a node in another process over a WebSocket (ws:// or wss://); its actors' Pids then work in send, request, watch and ctx.*. */
  connect(url: string, options: ConnectOptions): Link;
  links(): { node: string; connected: boolean }[];
  /** '' for this engine, a linked node's name, or null when unknown. */
  nodeOf(pid: Pid): string | null;
  spawnNative(name: string, kind: string, options?: SpawnOptions): Pid;
  send(pid: Pid, msg: Json): SendStatus;
  request(pid: Pid, msg: Json, options?: { timeoutMs?: number }): Promise<Json>;
  stop(pid: Pid): void;
  poison(pid: Pid): void;
  lookup(name: string): Pid | null;
  alive(pid: Pid): boolean;
  watch(pid: Pid): Promise<{ pid: Pid; reason: StopReason; detail: string; existed: boolean }>;
  subscribe(callback: (event: ActorEvent) => void): () => void;
  eventsSince(seq?: number, max?: number): { events: ActorEvent[]; missed: number; next: number };
  snapshot(): Snapshot;
  counters(): Counters;
  nativeKinds(): string[];
  /** Call a C++ extension compiled into this module (e.g. 'dashboard.attach'); JSON in, JSON out. */
  extension(name: string, args?: Json): Json;
  extensionNames(): string[];
  readonly running: boolean;
  runUntilIdle(maxMs?: number): number;
  shutdown(): void;
}

export interface Runtime {
  createEngine(options?: EngineOptions): Engine;
}

export function createRuntime(moduleOptions?: object): Promise<Runtime>;
