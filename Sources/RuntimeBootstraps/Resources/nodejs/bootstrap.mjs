// Swiftlet's runtime interface client for Node.js: runs a Lambda handler behind the Runtime API.
//
// Started as `node /var/runtime/nodejs/bootstrap.mjs` (Node 18-22, built-in modules only) with
// _HANDLER, LAMBDA_TASK_ROOT and AWS_LAMBDA_RUNTIME_API set, plus the AWS_LAMBDA_* variables that
// end up on the context object.
//
// What a function sees is meant to be what AWS Lambda's managed Node.js 18-22 runtimes show it:
// handler resolution (CommonJS, ES modules, `type: module`), init errors, async, callback and
// context.succeed/fail/done handlers, callbackWaitsForEmptyEventLoop (through the process'
// `beforeExit` event, the same mechanism AWS uses), the error documents (`trace`), the console
// prefix and the "Invoke Error" log line, uncaught exceptions and unhandled rejections.
// Choices worth knowing:
//   * The Runtime API client is a small keep-alive HTTP/1.1 client on a `net` socket rather than
//     `http.request` with a keep-alive agent, whose per-request cost dominated the loop (~300 µs
//     of CPU per invocation against ~100 µs now, on a 2-core VM). An invocation's answer and the
//     next `GET /invocation/next` go out in one write (HTTP/1.1 pipelining): one round trip per
//     invocation.
//   * A handler that neither returns a promise nor calls its callback is answered with `null`
//     once the event loop is empty; an `async` one whose promise never settles with
//     Runtime.NodeJsExit (as on AWS).
//   * A result JSON.stringify cannot handle is reported as Error "Unable to stringify response
//     body" and the runtime carries on (AWS's callback path exits the process instead).
//   * Console lines keep their "\n" (AWS's stdout sink turns them into "\r"); each line is a log
//     line here.
//   * Streaming handlers (awslambda.streamifyResponse) post their response as AWS's runtime does:
//     chunked, with `Lambda-Runtime-Function-Response-Mode: streaming`, each write sent at once as
//     one chunk (the writable stream waits for the socket to drain, so a slow reader slows the
//     handler), the head sent with the first bytes (so setContentType works until then), an
//     error after the first bytes as the Lambda-Runtime-Function-Error-Type/-Body trailers and an
//     error before them posted to /error.
import { createConnection } from "node:net";
import { format, types } from "node:util";
import { closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import path from "node:path";
import Module, { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const env = process.env;

// ---------------------------------------------------------------------------------------------
// A stem cell (_SWIFTLET_STEM_CELL=1) is this runtime started before its function is known, in the sandbox it will
// keep: Node has booted and loaded this module's built-in imports. It says it is ready on stdin (the platform's
// socket), blocks there until the function's environment arrives as one JSON line ({"cwd", "env"}), takes it, waits
// for "G" (the function's code is attached) and goes on as a runtime started with that environment would — before
// anything below reads a variable.

function awaitFunction() {
  try {
    writeSync(0, "R");
  } catch {}
  const buffer = Buffer.alloc(65536);
  const read = () => {
    for (;;) {
      try {
        const n = readSync(0, buffer, 0, buffer.length, null);
        if (n === 0) process.exit(0); // the platform let this stem cell go unused, or gave up on it
        return Buffer.from(buffer.subarray(0, n));
      } catch (error) {
        if (error.code !== "EAGAIN") throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  };
  let data = Buffer.alloc(0);
  while (data.indexOf(0x0a) < 0) data = Buffer.concat([data, read()]);
  const newline = data.indexOf(0x0a);
  const message = JSON.parse(data.subarray(0, newline).toString("utf8"));
  let rest = data.subarray(newline + 1);
  const api = env.AWS_LAMBDA_RUNTIME_API;
  for (const key of Object.keys(env)) delete env[key];
  // Assigning TZ through process.env resets Node's time zone, as a start with it would have read it.
  Object.assign(env, message.env);
  if (api !== undefined) env.AWS_LAMBDA_RUNTIME_API = api;
  // The environment comes while the platform attaches the function's code; "G" says it is there (and the Runtime
  // API served). Nothing of the function's is touched before: not even its directory.
  while (rest.length === 0) rest = read();
  if (rest[0] !== 0x47) process.exit(1);
  // stdin becomes /dev/null, as a classic start has it (the lowest free descriptor is 0 once it is closed).
  closeSync(0);
  const fd = openSync("/dev/null", "r");
  if (fd !== 0) closeSync(fd);
  process.chdir(message.cwd);
  // NODE_PATH is read once at startup: read again now that the function's is set.
  Module._initPaths?.();
}

if (env._SWIFTLET_STEM_CELL === "1") awaitFunction();

// ---------------------------------------------------------------------------------------------
// Errors

class RuntimeError extends Error {}

function runtimeError(kind, message) {
  const error = new RuntimeError(message);
  Object.defineProperty(error, "name", { value: `Runtime.${kind}`, writable: true, configurable: true });
  error.stack = `${error.name}: ${message}\n${(new Error().stack || "").split("\n").slice(2).join("\n")}`;
  return error;
}

function isErrorLike(value) {
  return types.isNativeError(value) || (value && typeof value.name === "string" && typeof value.message === "string" &&
    typeof value.stack === "string" && value.name !== "" && value.message !== "" && value.stack !== "");
}

// The body of an /error or /init/error request.
function errorDocument(error) {
  try {
    if (isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split("\n") };
    }
    return { errorType: typeof error, errorMessage: safeString(error), trace: [] };
  } catch {
    return {
      errorType: "handled",
      errorMessage: "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack",
    };
  }
}

function safeString(value) {
  try {
    return String(value);
  } catch {
    return format("%o", value);
  }
}

function intoError(value) {
  return value instanceof Error ? value : new Error(value);
}

// An error as the runtime logs it: name, message, code, its own properties and the stack as lines.
function formattedError(error) {
  const expand = (_key, value) => {
    if (value instanceof Error) {
      const out = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
      if (typeof value.stack === "string") out.stack = value.stack.split("\n");
      return out;
    }
    return value;
  };
  try {
    return "\t" + JSON.stringify(error, expand);
  } catch {
    return "\t" + JSON.stringify(errorDocument(error));
  }
}

// ---------------------------------------------------------------------------------------------
// Console: Lambda's log line prefix and levels

const REQUEST_ID = Symbol.for("aws.lambda.runtime.requestId");
const TENANT_ID = Symbol.for("aws.lambda.runtime.tenantId");
const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const jsonLogs = (env.AWS_LAMBDA_LOG_FORMAT || "").toUpperCase() === "JSON";
let logError = (label, error) => console.error(label, formattedError(intoError(error)));

function setRequestId(id, tenantId) {
  globalThis[REQUEST_ID] = id;
  globalThis[TENANT_ID] = tenantId;
}

function jsonLogLine(time, level, params) {
  const doc = { timestamp: time, level, requestId: globalThis[REQUEST_ID] };
  if (globalThis[TENANT_ID] !== undefined) doc.tenantId = globalThis[TENANT_ID];
  const errorFields = (e) => ({
    errorType: e?.constructor?.name ?? "UnknownError",
    errorMessage: e.message,
    stackTrace: typeof e.stack === "string" ? e.stack.split("\n") : e.stack,
  });
  if (params.length === 1) {
    doc.message = params[0];
    try {
      return JSON.stringify(doc, (_k, v) => (v instanceof Error ? Object.assign(errorFields(v), v) : v));
    } catch {
      doc.message = format(params[0]);
      return JSON.stringify(doc);
    }
  }
  doc.message = format(...params);
  const error = params.find((p) => p instanceof Error);
  if (error) Object.assign(doc, errorFields(error));
  return JSON.stringify(doc);
}

function patchConsole() {
  const stdout = process.stdout;
  const write = jsonLogs
    ? (level, params) => stdout.write(jsonLogLine(new Date().toISOString(), level, params) + "\n")
    : (level, params) => stdout.write(`${new Date().toISOString()}\t${globalThis[REQUEST_ID]}\t${level}\t${format(...params)}\n`);
  const minimum = LEVELS[(env.AWS_LAMBDA_LOG_LEVEL || "").toUpperCase()] ?? LEVELS.TRACE;
  const method = (level) => (LEVELS[level] >= minimum ? (...params) => write(level, params.length ? params : [undefined]) : () => {});
  console.trace = method("TRACE");
  console.debug = method("DEBUG");
  console.info = method("INFO");
  console.log = console.info;
  console.warn = method("WARN");
  console.error = method("ERROR");
  console.fatal = (...params) => write("FATAL", params.length ? params : [undefined]);
  if (jsonLogs) logError = (_label, error) => console.error(intoError(error));
}

// ---------------------------------------------------------------------------------------------
// The Runtime API: a keep-alive HTTP/1.1 client on one `net` socket. It understands what the
// Runtime API sends (status line, headers, Content-Length or chunked body) and nothing more, which
// keeps an invocation's cost to a few microseconds of JavaScript. The socket is unref'd while no
// request is outstanding so that an otherwise empty event loop still ends (`beforeExit`).

function parseAddress(address) {
  const colon = address.lastIndexOf(":");
  if (colon < 0) return { host: address, port: 80 };
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(address.slice(colon + 1)) };
}

class ConnectionClosed extends Error {
  constructor() {
    super("the Runtime API closed the connection");
    this.code = "ECONNRESET";
  }
}

const HEADER_END = Buffer.from("\r\n\r\n");

class RuntimeAPIClient {
  constructor(address) {
    const { host, port } = parseAddress(address);
    this.host = host;
    this.port = port;
    this.base = `/2018-06-01/runtime`;
    this.hostHeader = `Host: ${address}\r\n`;
    this.nextRequest = `GET ${this.base}/invocation/next HTTP/1.1\r\n${this.hostHeader}\r\n`;
    this.socket = null;
    this.chunks = [];
    this.size = 0;
    this.head = null;
    this.pending = [];
  }

  connect() {
    const socket = createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(socket, chunk));
    socket.on("error", (error) => this.dropped(socket, error));
    socket.on("close", () => this.dropped(socket, new ConnectionClosed()));
    this.socket = socket;
    this.chunks = [];
    this.size = 0;
    this.head = null;
    return socket;
  }

  dropped(socket, error) {
    if (this.socket !== socket) return;
    this.socket = null;
    this.chunks = [];
    this.size = 0;
    this.head = null;
    const pending = this.pending;
    this.pending = [];
    for (const request of pending) request.reject(error);
  }

  // Writes requests (strings or Buffers, several pipelined) and returns one promise per request.
  send(parts, count) {
    const socket = this.socket || this.connect();
    const promises = [];
    for (let i = 0; i < count; i++) {
      promises.push(new Promise((resolve, reject) => this.pending.push({ resolve, reject })));
    }
    socket.ref();
    if (parts.length === 1) {
      socket.write(parts[0]);
    } else {
      socket.cork();
      for (const part of parts) socket.write(part);
      socket.uncork();
    }
    return promises;
  }

  // Bytes received so far as one Buffer (joined only when needed: a large body arrives in many chunks).
  received() {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0];
  }

  onData(socket, chunk) {
    if (socket !== this.socket) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.pending.length && this.size) {
      if (!this.head) {
        const buffer = this.received();
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) break;
        const lines = buffer.toString("utf8", 0, end).split("\r\n");
        const headers = {};
        for (let i = 1; i < lines.length; i++) {
          const colon = lines[i].indexOf(":");
          if (colon > 0) headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
        }
        const length = headers["content-length"];
        const chunked = length === undefined && /chunked/i.test(headers["transfer-encoding"] || "");
        this.head = { status: Number(lines[0].split(" ", 2)[1]), headers, start: end + 4, chunked,
          total: chunked ? undefined : end + 4 + Number(length || 0) };
      }
      const { status, headers, start, total, chunked } = this.head;
      let body;
      let rest;
      if (chunked) {
        const decoded = decodeChunked(this.received(), start);
        if (!decoded) break;
        [body, rest] = decoded;
      } else {
        if (this.size < total) break;
        const buffer = this.received();
        body = buffer.subarray(start, total);
        rest = buffer.subarray(total);
      }
      this.head = null;
      this.chunks = rest.length ? [rest] : [];
      this.size = rest.length;
      this.pending.shift().resolve({ status, headers, body });
      if ((headers.connection || "").toLowerCase() === "close") {
        this.dropped(socket, new ConnectionClosed());
        socket.destroy();
        return;
      }
    }
    if (!this.pending.length) socket.unref();
  }

  // One request; retried once on a fresh connection when a kept-alive one turns out to be closed.
  async request(head, body) {
    for (let attempt = 0; ; attempt++) {
      const fresh = !this.socket;
      try {
        return await this.send(body === undefined ? [head] : [head, body], 1)[0];
      } catch (error) {
        if (attempt || fresh || !isConnectionError(error)) throw error;
      }
    }
  }

  async next() {
    for (;;) {
      const res = await this.request(this.nextRequest);
      if (res.status === 200 && res.headers["lambda-runtime-aws-request-id"]) return res;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  // Posts `head` + `body` with a GET next pipelined behind it: one round trip per invocation.
  // Returns [the POST's promise, the next invocation's promise].
  postThenNext(head, body) {
    const fresh = !this.socket;
    const [posted, next] = this.send([head, body, this.nextRequest], 2);
    const retried = posted.catch((error) => {
      if (fresh || !isConnectionError(error)) throw error;
      return this.request(head, body);
    });
    const nextInvocation = next.then(
      (res) => (res.status === 200 && res.headers["lambda-runtime-aws-request-id"] ? res : retried.then(() => this.next())),
      () => retried.then(() => this.next()));
    return [retried, nextInvocation];
  }

  postHead(path, contentType, length, errorType) {
    return `POST ${this.base}${path} HTTP/1.1\r\n${this.hostHeader}Content-Type: ${contentType}\r\n` +
      (errorType === undefined ? "" : `Lambda-Runtime-Function-Error-Type: ${headerSafe(errorType)}\r\n`) +
      `Content-Length: ${length}\r\n\r\n`;
  }

  respondThenNext(id, payload, contentType = "application/json") {
    const body = typeof payload === "string" ? Buffer.from(payload) : payload;
    return this.postThenNext(this.postHead(`/invocation/${encodeURIComponent(id)}/response`, contentType, body.length), body);
  }

  errorThenNext(id, error) {
    const doc = errorDocument(error);
    const body = Buffer.from(JSON.stringify(doc));
    return this.postThenNext(this.postHead(`/invocation/${encodeURIComponent(id)}/error`, "application/json", body.length, doc.errorType), body);
  }

  postError(id, error) {
    const doc = errorDocument(error);
    const body = Buffer.from(JSON.stringify(doc));
    return this.request(this.postHead(`/invocation/${encodeURIComponent(id)}/error`, "application/json", body.length, doc.errorType), body);
  }

  // A streamed response on the client's connection (see StreamedResponsePost).
  streamedResponse(id) {
    return new StreamedResponsePost(this, `${this.base}/invocation/${encodeURIComponent(id)}/response`);
  }

  postInitError(error) {
    const doc = errorDocument(error);
    const body = Buffer.from(JSON.stringify(doc));
    return this.request(this.postHead("/init/error", "application/json", body.length, doc.errorType), body);
  }
}

// The chunked POST of a streamed response. Nothing is sent before the first write (or the end), so
// the content type can be set until then.
class StreamedResponsePost {
  constructor(client, path) {
    this.client = client;
    this.path = path;
    this.contentType = "application/octet-stream";
    this.socket = null;
    this.posted = undefined;
    this.ended = false;
  }

  get started() {
    return this.socket !== null;
  }

  start() {
    if (this.socket) return;
    const head = `POST ${this.path} HTTP/1.1\r\n${this.client.hostHeader}Content-Type: ${headerSafe(this.contentType)}\r\n` +
      "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n" +
      "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n";
    [this.posted] = this.client.send([head], 1);
    this.socket = this.client.socket;
  }

  // Sends `chunk` as one HTTP chunk now; `done` runs once the socket can take more.
  write(chunk, done) {
    this.start();
    if (!chunk.length) return done();
    const socket = this.socket;
    socket.cork();
    socket.write(chunk.length.toString(16) + "\r\n");
    socket.write(chunk);
    const ready = socket.write("\r\n");
    socket.uncork();
    if (ready || socket.destroyed) return done();
    const drained = () => { socket.off("close", closed); done(); };
    const closed = () => { socket.off("drain", drained); done(new ConnectionClosed()); };
    socket.once("drain", drained);
    socket.once("close", closed);
  }

  // Ends the body (with trailers reporting `error`, if any); returns the POST's promise.
  end(error) {
    this.start();
    if (this.ended) return this.posted;
    this.ended = true;
    let trailers = "";
    if (error !== undefined) {
      const doc = errorDocument(error);
      trailers = `Lambda-Runtime-Function-Error-Type: ${headerSafe(doc.errorType)}\r\n` +
        `Lambda-Runtime-Function-Error-Body: ${Buffer.from(JSON.stringify(doc)).toString("base64")}\r\n`;
    }
    this.socket.write(`0\r\n${trailers}\r\n`);
    return this.posted;
  }
}

function isConnectionError(error) {
  return error instanceof ConnectionClosed || ["ECONNRESET", "EPIPE", "ECONNREFUSED"].includes(error?.code);
}

// [body, rest] of a chunked body starting at `start`, or undefined while incomplete.
function decodeChunked(buffer, start) {
  const parts = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString("latin1", at, lineEnd).split(";")[0], 16);
    if (size === 0) {
      const end = buffer.indexOf(HEADER_END, lineEnd);
      if (buffer.length >= lineEnd + 4 && buffer.toString("latin1", lineEnd, lineEnd + 4) === "\r\n\r\n") {
        return [Buffer.concat(parts), buffer.subarray(lineEnd + 4)];
      }
      if (end < 0) return undefined;
      return [Buffer.concat(parts), buffer.subarray(end + 4)];
    }
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function serializeResponse(result) {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch {
    throw new Error("Unable to stringify response body");
  }
}

function headerSafe(text) {
  return String(text ?? "Unhandled").replace(/[^\x20-\x7e]/g, "?");
}

const client = new RuntimeAPIClient(env.AWS_LAMBDA_RUNTIME_API || "127.0.0.1:9001");

// ---------------------------------------------------------------------------------------------
// Loading the handler

const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
const HIGH_WATER_MARK = Symbol.for("aws.lambda.runtime.handler.streaming.highWaterMark");

function isModuleScope(folder) {
  // The nearest package.json decides; a node_modules folder or the root ends the search.
  for (let dir = folder; ; dir = path.resolve(dir, "..")) {
    if (dir.endsWith("/node_modules")) return false;
    const pj = path.join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        const pkg = JSON.parse(readFileSync(pj, "utf8"));
        return Boolean(pkg) && pkg.type === "module";
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    if (dir === "/" || path.dirname(dir) === dir) return false;
  }
}

const tryRequire = (file) => (existsSync(file) ? require(file) : undefined);
const tryImport = async (file) => (existsSync(file) ? import(pathToFileURL(file).href) : undefined);

async function loadModule(appRoot, moduleRoot, moduleName) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const moduleScope = isModuleScope(path.dirname(base));
  if (!moduleScope) {
    const js = tryRequire(base + ".js");
    if (js) return js;
  }
  const loaded = (moduleScope && (await tryImport(base + ".js"))) ||
    (await tryImport(base + ".mjs")) ||
    tryRequire(base + ".cjs");
  if (loaded) return loaded;
  // Node's own resolution (node_modules folders, NODE_PATH) from the code and module roots.
  return require(require.resolve(moduleName, { paths: [appRoot, path.resolve(appRoot, moduleRoot)] }));
}

async function loadHandler(appRoot, fullHandler) {
  if (fullHandler.includes("..")) {
    throw runtimeError("MalformedHandlerName",
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.slice(0, fullHandler.lastIndexOf(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw runtimeError("MalformedHandlerName", "Bad handler");
  const [, moduleName, handlerPath] = match;
  let mod;
  try {
    mod = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw runtimeError("UserCodeSyntaxError", String(e));
    if (e && e.code === "MODULE_NOT_FOUND") throw runtimeError("ImportModuleError", String(e));
    throw e;
  }
  const fn = handlerPath.split(".").reduce((object, key) => object && object[key], mod);
  if (!fn) throw runtimeError("HandlerNotFound", `${fullHandler} is undefined or not exported`);
  if (typeof fn !== "function") throw runtimeError("HandlerNotFound", `${fullHandler} is not a function`);
  return fn;
}

// ---------------------------------------------------------------------------------------------
// Streaming handlers

let streamModule;

class HttpResponseStream {
  static from(stream, prelude) {
    stream.setContentType("application/vnd.awslambda.http-integration-response");
    stream.write(JSON.stringify(prelude ?? {}));
    stream.write(Buffer.alloc(8));
    return stream;
  }
}

function installGlobals() {
  if (env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA === "1" || env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA === "true") return;
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[STREAMING] = "response";
      if (typeof options?.highWaterMark === "number") handler[HIGH_WATER_MARK] = parseInt(options.highWaterMark, 10);
      return handler;
    },
    HttpResponseStream,
  };
}

// The `responseStream` a streaming handler writes to: a Writable over the streamed POST, ended (the
// last chunk sent) when the handler ends it.
function responseStream(post, highWaterMark) {
  streamModule ??= require("node:stream");
  const stream = new streamModule.Writable({
    highWaterMark,
    write(chunk, encoding, done) {
      post.write(typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk, done);
    },
    final(done) {
      post.end();
      done();
    },
  });
  stream.setContentType = (type) => {
    if (post.started) throw new Error("Cannot set content-type, too late.");
    post.contentType = String(type);
  };
  return stream;
}

// ---------------------------------------------------------------------------------------------
// The invoke loop

let onBeforeExit = () => {};
let errorCallbacks;

const NODEJS_EXIT_MESSAGE = "The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly " +
  "caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes";

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new Error(`Cannot parse ${name} as json: ${e.toString()}`);
  }
}

class Runtime {
  constructor(handler) {
    this.handler = handler;
    this.isAsync = handler.constructor?.name === "AsyncFunction";
    this.streaming = handler[STREAMING] === "response";
    // Starts the next iteration on the next turn of the event loop; `pending` is the next
    // invocation when it was already asked for (pipelined behind the previous answer).
    this.schedule = (pending) => setImmediate(() => this.once(pending).catch((e) => {
      console.log(`Unexpected Top Level Error: ${e}`);
      errorCallbacks.uncaughtException(e);
    }));
  }

  setErrorCallbacks(id) {
    errorCallbacks = {
      uncaughtException: (error) => client.postError(id, error).finally(() => process.exit(129)),
      unhandledRejection: (error) => client.postError(id, error).finally(() => process.exit(128)),
    };
  }

  // Answers the invocation (POST response or error) and moves on to the next one.
  answer([posted, next]) {
    posted.catch((e) => errorCallbacks.uncaughtException(e));
    this.schedule(next);
  }

  async once(pending) {
    const next = await (pending || client.next());
    const headers = next.headers;
    const id = headers["lambda-runtime-aws-request-id"];
    setRequestId(id, headers["lambda-runtime-aws-tenant-id"]);
    this.setErrorCallbacks(id);
    if (this.streaming) return this.invokeStreaming(id, headers, next.body);

    let waitForEmptyEventLoop = true;
    let completed = false;
    let finished = false;
    const complete = (result) => {
      if (completed) {
        console.error("Invocation has already been reported as done. Cannot call complete more than once per invocation.");
        return;
      }
      completed = true;
      let payload;
      try {
        payload = serializeResponse(result);
      } catch (e) {
        fail(e);
        return;
      }
      this.answer(client.respondThenNext(id, payload));
    };
    const fail = (error) => {
      logError("Invoke Error", error);
      completed = true;
      this.answer(client.errorThenNext(id, error));
    };
    const firstOnly = (fn) => (...args) => {
      if (finished) return;
      fn(...args);
      finished = true;
    };
    const callback = firstOnly((err, result) => {
      onBeforeExit = noop;
      if (err !== undefined && err !== null) fail(err);
      else if (!waitForEmptyEventLoop) complete(result);
      else onBeforeExit = () => { onBeforeExit = noop; setImmediate(() => complete(result)); };
    });
    const done = (err, result) => {
      onBeforeExit = noop;
      if (err !== undefined && err !== null) fail(err);
      else complete(result);
    };
    const succeed = firstOnly((result) => done(null, result));
    const failed = firstOnly((err) => done(err === undefined || err === null ? "handled" : err, null));

    // Neither a settled promise nor a callback before the event loop ran dry.
    onBeforeExit = () => {
      onBeforeExit = noop;
      completed = true;
      if (this.isAsync) {
        const error = runtimeError("NodeJsExit", NODEJS_EXIT_MESSAGE);
        logError("Invoke Error", error);
        this.answer(client.errorThenNext(id, error));
      } else {
        this.answer(client.respondThenNext(id, "null"));
      }
    };

    try {
      const context = {
        get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
        set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
        succeed,
        fail: failed,
        done: firstOnly(done),
      };
      this.attachInvokeData(context, headers);
      const result = this.handler(JSON.parse(next.body.toString("utf8")), context, callback);
      if (result && typeof result.then === "function") {
        result.then(succeed, failed).catch(failed);
      }
    } catch (err) {
      callback(err);
    }
  }

  attachInvokeData(context, headers) {
    forwardTraceId(headers);
    const deadline = Number(headers["lambda-runtime-deadline-ms"]);
    context.functionVersion = env.AWS_LAMBDA_FUNCTION_VERSION;
    context.functionName = env.AWS_LAMBDA_FUNCTION_NAME;
    context.memoryLimitInMB = env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
    context.logGroupName = env.AWS_LAMBDA_LOG_GROUP_NAME;
    context.logStreamName = env.AWS_LAMBDA_LOG_STREAM_NAME;
    context.clientContext = parseJsonHeader(headers["lambda-runtime-client-context"], "ClientContext");
    context.identity = parseJsonHeader(headers["lambda-runtime-cognito-identity"], "CognitoIdentity");
    context.invokedFunctionArn = headers["lambda-runtime-invoked-function-arn"];
    context.awsRequestId = headers["lambda-runtime-aws-request-id"];
    context.tenantId = headers["lambda-runtime-aws-tenant-id"];
    context.getRemainingTimeInMillis = () => deadline - Date.now();
    return context;
  }

  async invokeStreaming(id, headers, body) {
    onBeforeExit = noop;
    const post = client.streamedResponse(id);
    const stream = responseStream(post, this.handler[HIGH_WATER_MARK]);
    try {
      const context = this.attachInvokeData({ callbackWaitsForEmptyEventLoop: false }, headers);
      const returned = this.handler(JSON.parse(body.toString("utf8")), stream, context);
      if (!returned || typeof returned.then !== "function") {
        throw runtimeError("InvalidStreamingOperation", "Streaming does not support non-async handlers.");
      }
      const result = await returned;
      if (result !== undefined) console.warn("Streaming handlers ignore return values.");
      if (!stream.writableFinished) {
        if (!stream.writableEnded) throw new Error("Response stream is not finished.");
        await new Promise((resolve, reject) => {
          stream.once("finish", resolve);
          stream.once("error", reject);
        });
      }
    } catch (error) {
      logError("Invoke Error", error);
      // Nothing sent yet: an ordinary error. Otherwise the trailers say it (unless the body already ended).
      if (!post.started) return this.answer(client.errorThenNext(id, error));
      return this.answerStreamed(post.end(error));
    }
    return this.answerStreamed(post.end());
  }

  // Moves on once the streamed POST was answered (a failed POST ends the process through uncaughtException).
  answerStreamed(posted) {
    this.answer([posted, posted.then(() => client.next(), () => new Promise(noop))]);
  }
}

function noop() {}

function forwardTraceId(headers) {
  const trace = headers["lambda-runtime-trace-id"];
  if (trace) env._X_AMZN_TRACE_ID = trace;
  else delete env._X_AMZN_TRACE_ID;
}

async function main() {
  patchConsole();
  errorCallbacks = {
    uncaughtException: (error) => client.postInitError(error).finally(() => process.exit(129)),
    unhandledRejection: (error) => client.postInitError(error).finally(() => process.exit(128)),
  };
  process.on("uncaughtException", (error) => {
    logError("Uncaught Exception", error);
    errorCallbacks.uncaughtException(error);
  });
  process.on("unhandledRejection", (reason) => {
    const error = runtimeError("UnhandledPromiseRejection", reason === undefined ? "" : safeString(reason));
    error.reason = reason;
    logError("Unhandled Promise Rejection", error);
    errorCallbacks.unhandledRejection(error);
  });
  process.on("beforeExit", () => onBeforeExit());
  installGlobals();

  const handler = await loadHandler(env.LAMBDA_TASK_ROOT || process.cwd(), env._HANDLER || "");
  new Runtime(handler).schedule(undefined);
}

// A failed init surfaces as an uncaught exception, logged and posted to /init/error.
main().catch((error) => process.nextTick(() => { throw error; }));
