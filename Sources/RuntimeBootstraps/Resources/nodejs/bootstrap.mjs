// Swiftlet's runtime interface client for Node.js: runs a handler behind the Lambda Runtime API.
// Started as `node /var/runtime/nodejs/bootstrap.mjs` with _HANDLER, LAMBDA_TASK_ROOT and
// AWS_LAMBDA_RUNTIME_API set. Built-ins only.
import http from "node:http";
import path from "node:path";
import fs from "node:fs";
import util from "node:util";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const BASE = "/2018-06-01/runtime";

function call(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: apiHost, port: Number(apiPort), method, path: BASE + urlPath, agent,
      headers: body === undefined ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// console.* with Lambda's text prefix: <ISO time>\t<request id>\t<LEVEL>\t<message>
let currentRequestId = undefined;
function patchConsole() {
  const write = (level) => (...args) => {
    const message = util.format(...args).replace(/\n/g, "\r");
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
  };
  console.log = write("INFO");
  console.info = write("INFO");
  console.warn = write("WARN");
  console.error = write("ERROR");
  console.debug = write("DEBUG");
  console.trace = write("TRACE");
}

function errorBody(err) {
  if (err instanceof Error) {
    return { errorType: err.name || "Error", errorMessage: err.message,
             trace: (err.stack || "").split("\n") };
  }
  const message = typeof err === "string" ? err : JSON.stringify(err);
  return { errorType: typeof err, errorMessage: message, trace: [] };
}

class FaultError extends Error {
  constructor(type, message, cause) {
    super(message);
    this.name = type;
    if (cause && cause.stack) this.stack = `${type}: ${message}\n${cause.stack.split("\n").slice(1).join("\n")}`;
  }
}

async function loadHandler() {
  const handler = process.env._HANDLER || "";
  const taskRoot = process.env.LAMBDA_TASK_ROOT || "/var/task";
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) {
    throw new FaultError("Runtime.MalformedHandlerName", "Bad handler");
  }
  const modulePath = handler.slice(0, dot);
  const exportPath = handler.slice(dot + 1);
  const base = path.resolve(taskRoot, modulePath);
  let file;
  for (const ext of [".js", ".mjs", ".cjs"]) {
    if (fs.existsSync(base + ext)) { file = base + ext; break; }
  }
  let mod;
  try {
    if (!file) {
      // Let Node's own resolution (node_modules, NODE_PATH) answer, as Lambda's runtime does.
      const require = createRequire(path.join(taskRoot, "index.js"));
      mod = require(modulePath);
    } else if (file.endsWith(".mjs") || (file.endsWith(".js") && isModuleScope(file))) {
      mod = await import(pathToFileURL(file).href);
    } else {
      const require = createRequire(file);
      mod = require(file);
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw new FaultError("Runtime.UserCodeSyntaxError", `${e.name}: ${e.message}`, e);
    if (e && (e.code === "MODULE_NOT_FOUND" || e.code === "ERR_MODULE_NOT_FOUND")) {
      throw new FaultError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${import.meta.url.replace("file://", "")}`, e);
    }
    throw e;
  }
  let fn = mod;
  for (const part of exportPath.split(".")) fn = fn == null ? undefined : fn[part];
  if (fn === undefined && mod && mod.default) {
    fn = mod.default;
    for (const part of exportPath.split(".")) fn = fn == null ? undefined : fn[part];
  }
  if (typeof fn !== "function") {
    throw new FaultError("Runtime.HandlerNotFound", `${path.basename(modulePath)}.${exportPath} is undefined or not exported`);
  }
  return fn;
}

function isModuleScope(file) {
  let dir = path.dirname(file);
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, "utf8")).type === "module"; } catch { return false; }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

function makeContext(headers) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"] || 0);
  const clientContext = headers["lambda-runtime-client-context"];
  const identity = headers["lambda-runtime-cognito-identity"];
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: identity ? JSON.parse(identity) : undefined,
    clientContext: clientContext ? JSON.parse(clientContext) : undefined,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
}

// Runs the handler: a promise it returns, or the callback it calls, settles the invocation.
function runHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err); else resolve(result);
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (err) => callback(err ?? "handled");
    try {
      const out = fn(event, context, callback);
      if (out && typeof out.then === "function") {
        out.then((r) => callback(null, r), (e) => callback(e ?? new Error("Promise rejected")));
      } else if (fn.length < 3 && !settled) {
        callback(null, out);
      }
    } catch (e) {
      callback(e);
    }
  });
}

let inFlight = null;
async function postError(requestId, err, type) {
  const body = errorBody(err);
  if (type) body.errorType = type;
  console.error("Invoke Error", `\t${JSON.stringify(body)}`);
  await call("POST", `/invocation/${requestId}/error`, JSON.stringify(body),
    { "Lambda-Runtime-Function-Error-Type": body.errorType, "Content-Type": "application/json" });
}

async function main() {
  patchConsole();
  let fn;
  try {
    fn = await loadHandler();
  } catch (e) {
    const body = errorBody(e);
    console.error(`${body.errorType}: ${body.errorMessage}`);
    await call("POST", "/init/error", JSON.stringify(body),
      { "Lambda-Runtime-Function-Error-Type": body.errorType, "Content-Type": "application/json" });
    process.exit(1);
  }
  const fail = async (err, type) => {
    if (inFlight) {
      const id = inFlight;
      inFlight = null;
      try { await postError(id, err, type); } catch { /* the environment is going away anyway */ }
    }
    process.exit(1);
  };
  process.on("uncaughtException", (e) => fail(e, "Runtime.UncaughtException"));
  process.on("unhandledRejection", (e) => fail(e, "Runtime.UnhandledPromiseRejection"));

  for (;;) {
    const next = await call("GET", "/invocation/next");
    const requestId = next.headers["lambda-runtime-aws-request-id"];
    currentRequestId = requestId;
    inFlight = requestId;
    const trace = next.headers["lambda-runtime-trace-id"];
    if (trace) process.env._X_AMZN_TRACE_ID = trace; else delete process.env._X_AMZN_TRACE_ID;
    const context = makeContext(next.headers);
    let result;
    try {
      const event = next.body.length ? JSON.parse(next.body.toString("utf8")) : {};
      result = await runHandler(fn, event, context);
    } catch (e) {
      inFlight = null;
      await postError(requestId, e);
      continue;
    }
    let payload;
    try {
      payload = result === undefined ? "null" : JSON.stringify(result);
    } catch (e) {
      inFlight = null;
      await postError(requestId, e, "Runtime.MarshalError");
      continue;
    }
    inFlight = null;
    await call("POST", `/invocation/${requestId}/response`, payload, { "Content-Type": "application/json" });
  }
}

main();
