# The fcx emulator's stand-in for Function Compute's Python runtime (python3.9 / python3.10 semantics).
#
# One process is one FC instance. The emulator sends invocations as length-prefixed frames over fd 3 (a
# socketpair) and reads results back the same way: 4-byte big-endian header length, 4-byte body length,
# JSON header, raw body. The function's output (print, logging, FC's framing lines "FC Invoke Start
# RequestId: ..." around each invocation) is held while an invocation runs and returned in its result frame
# ("log"), so a request costs one message each way; output outside invocations goes to stdout directly.
# The emulator turns both into log rows.
#
# Supported: WSGI `handler(environ, start_response)` for HTTP triggers, `handler(event, context)` for
# InvokeFunction, `initializer(context)` once per instance, and the root logger preformatted as FC does.
import io
import json
import logging
import os
import socket
import struct
import sys
import threading
import time
import traceback
import importlib

import atexit
import signal

_local = threading.local()
_state = {'rid': ''}  # the request being served (for threads the function starts itself)
_send_lock = threading.Lock()


def _current_request_id():
    return getattr(_local, 'rid', None) or _state['rid']


# ----- context objects (FCContext of python3.9/3.10) -----------------------------------------------------

class Credentials(object):
    def __init__(self, access_key_id, access_key_secret, security_token):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token
        # Older FC runtimes also exposed camelCase names.
        self.accessKeyId = access_key_id
        self.accessKeySecret = access_key_secret
        self.securityToken = security_token


class ServiceMeta(object):
    def __init__(self, name, log_project, log_store, qualifier, version_id):
        self.name = name
        self.log_project = log_project
        self.log_store = log_store
        self.qualifier = qualifier
        self.version_id = version_id


class FunctionMeta(object):
    def __init__(self, name, handler, memory, timeout, initializer, initialization_timeout):
        self.name = name
        self.handler = handler
        self.memory = memory
        self.timeout = timeout
        self.initializer = initializer
        self.initialization_timeout = initialization_timeout


class Tracing(object):
    def __init__(self):
        self.span_context = None
        self.jaeger_endpoint = None
        self.span_baggages = {}
        self.parent_span_id = None


class FCContext(object):
    def __init__(self, request_id, credentials, function, service, region, account_id):
        self.request_id = request_id
        self.credentials = credentials
        self.function = function
        self.service = service
        self.region = region
        self.account_id = account_id
        self.tracing = Tracing()
        self.retry_count = 0


# ----- logging ------------------------------------------------------------------------------------------

class _FCFormatter(logging.Formatter):
    def format(self, record):
        t = time.gmtime(record.created)
        stamp = time.strftime('%Y-%m-%dT%H:%M:%S', t) + '.%03dZ' % int(record.msecs)
        msg = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            msg = msg + '\n' + record.exc_text
        if record.stack_info:
            msg = msg + '\n' + self.formatStack(record.stack_info)
        return '%s %s [%s] %s' % (stamp, _current_request_id(), record.levelname, msg)


def _setup_logging():
    handler = logging.StreamHandler(_out)
    handler.setFormatter(_FCFormatter())
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class _Output(io.TextIOBase):
    """sys.stdout and sys.stderr. While invocations run, output is held and sent back with the invocation's
    result (one message per request instead of a pipe write per line); otherwise it goes straight to fd 1."""

    encoding = 'utf-8'
    errors = 'backslashreplace'

    def __init__(self, fd):
        io.TextIOBase.__init__(self)
        self._fd = fd
        self._parts = []
        self._held = 0
        self._since = 0.0
        self._lock = threading.RLock()  # re-entrant: the SIGTERM handler drains from the main thread
        self.flushed = False  # some held output went out directly (the emulator then reads stdout first)
        self.buffer = _BinaryOutput(self)

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        with self._lock:
            if self._held:
                if not self._parts:
                    self._since = time.monotonic()
                self._parts.append(s)
                return len(s)
        _write_fd(self._fd, s.encode('utf-8', 'backslashreplace'))
        return len(s)

    def flush_stale(self, age):
        """Long invocations still stream their output: what has been held for `age` seconds goes out."""
        with self._lock:
            if not self._parts or time.monotonic() - self._since < age:
                return
            out = ''.join(self._parts)
            self._parts = []
            self.flushed = True
            _write_fd(self._fd, out.encode('utf-8', 'backslashreplace'))

    def flush(self):
        pass

    def reconfigure(self, **kwargs):
        pass  # buffering is the runtime's business here

    line_buffering = True

    def hold(self):
        with self._lock:
            self._held += 1

    def take(self):
        """The output held so far (ends one invocation's hold)."""
        with self._lock:
            self._held = max(0, self._held - 1)
            out = ''.join(self._parts)
            self._parts = []
            flushed, self.flushed = self.flushed, False
        return out, flushed

    def drain(self):
        with self._lock:
            out = ''.join(self._parts)
            self._parts = []
            self._held = 0
        if out:
            _write_fd(self._fd, out.encode('utf-8', 'backslashreplace'))


class _BinaryOutput(object):
    def __init__(self, text):
        self._text = text

    def write(self, b):
        self._text.write(bytes(b).decode('utf-8', 'replace'))
        return len(b)

    def flush(self):
        pass


def _write_fd(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]


_out = None


def _print_line(line):
    _out.write(line + '\n')


# ----- loading the function's code ----------------------------------------------------------------------

class InvocationError(Exception):
    def __init__(self, message, error_type, stack):
        Exception.__init__(self, message)
        self.payload = {'errorMessage': message, 'errorType': error_type, 'stackTrace': stack}


_loaded = {}


def _load(spec):
    """'src.app.main.handler' -> function handler of module src.app.main (file src/app/main.py)."""
    fn = _loaded.get(spec)
    if fn is not None:
        return fn
    if '.' not in spec:
        raise InvocationError("Invalid handler '%s': expected <module>.<function>" % spec, 'InvalidHandler', [])
    module_name, func_name = spec.rsplit('.', 1)
    try:
        module = importlib.import_module(module_name)
    except Exception as e:  # noqa: BLE001 - any import failure is the function's error
        _log_exception("Unable to import module '%s'" % module_name)
        raise InvocationError("Unable to import module '%s': %s" % (module_name, e), 'ImportModuleError', _stack(e))
    fn = getattr(module, func_name, None)
    if fn is None or not callable(fn):
        raise InvocationError("Handler '%s' missing on module '%s'" % (func_name, module_name), 'HandlerNotFound', [])
    _loaded[spec] = fn
    return fn


_THIS_FILE = os.path.abspath(__file__)
_IMPORTLIB_DIR = os.path.dirname(os.path.abspath(importlib.__file__)) + os.sep


def _user_tb(tb):
    """The traceback from the user's first frame on: FC shows tracebacks that start at the function's code, so
    this runtime's frames (and importlib's, for import errors) at the head are left out."""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name != _THIS_FILE and not name.startswith('<frozen importlib') and not name.startswith(_IMPORTLIB_DIR):
            break
        tb = tb.tb_next
    return tb


def _stack(e):
    return [line.rstrip('\n') for line in traceback.format_tb(_user_tb(e.__traceback__))]


def _log_exception(message):
    e = sys.exc_info()[1]
    exc_info = (type(e), e, _user_tb(e.__traceback__)) if e is not None else True
    logging.getLogger().error(message, exc_info=exc_info)


def _error_payload(e):
    if isinstance(e, InvocationError):
        return e.payload
    _log_exception('Function raised an exception')
    return {'errorMessage': str(e), 'errorType': type(e).__name__, 'stackTrace': _stack(e)}


# ----- invocations --------------------------------------------------------------------------------------

class Runtime(object):
    def __init__(self, cfg):
        self.cfg = cfg
        f = cfg['function']
        s = cfg['service']
        c = cfg.get('credentials') or {}
        self.credentials = Credentials(c.get('accessKeyId', ''), c.get('accessKeySecret', ''), c.get('securityToken', ''))
        self.function = FunctionMeta(f['name'], f['handler'], f['memory'], f['timeout'], f.get('initializer', ''),
                                     f.get('initializationTimeout', 3))
        self.service = ServiceMeta(s['name'], s.get('logProject', ''), s.get('logStore', ''), s.get('qualifier', 'LATEST'),
                                   s.get('versionId', ''))
        self.multithread = int(cfg.get('concurrency', 1)) > 1

    def context(self, rid, creds=None):
        credentials = self.credentials
        if creds:
            credentials = Credentials(creds.get('accessKeyId', ''), creds.get('accessKeySecret', ''), creds.get('securityToken', ''))
        return FCContext(rid, credentials, self.function, self.service, self.cfg['region'], self.cfg['accountId'])

    def handle(self, header, body):
        kind = header['t']
        rid = header['rid']
        _local.rid = rid
        _state['rid'] = rid
        _out.hold()
        if kind == 'init':
            _print_line('FC Initialize Start RequestId: ' + rid)
            try:
                _load(self.cfg['initializer'])(self.context(rid, header.get('creds')))
                out = {'t': 'result', 'id': header['id']}
            except Exception as e:  # noqa: BLE001 - reported as the initializer's failure
                out = {'t': 'result', 'id': header['id'], 'error': _error_payload(e)}
            _print_line('FC Initialize End RequestId: ' + rid)
            out['log'], out['flushed'] = _out.take()
            _send(out)
            return
        _print_line('FC Invoke Start RequestId: ' + rid)
        try:
            if kind == 'http':
                out, payload = self.http(header, body, rid)
            else:
                out, payload = self.event(header, body, rid)
        except Exception as e:  # noqa: BLE001 - the function's failure is reported, the runtime goes on
            out, payload = {'t': 'result', 'id': header['id'], 'error': _error_payload(e)}, b''
        _print_line('FC Invoke End RequestId: ' + rid)
        out['log'], out['flushed'] = _out.take()
        _send(out, payload)

    def http(self, h, body, rid):
        app = _load(self.cfg['handler'])
        host = h.get('host') or 'localhost'
        server_name, _, server_port = host.partition(':')
        environ = {
            'REQUEST_METHOD': h['method'],
            'SCRIPT_NAME': '',
            'PATH_INFO': h['path'].encode('utf-8').decode('latin-1'),
            'QUERY_STRING': h.get('query', ''),
            'SERVER_NAME': server_name or 'localhost',
            'SERVER_PORT': server_port or '80',
            'SERVER_PROTOCOL': 'HTTP/1.1',
            'REMOTE_ADDR': h.get('clientIP', ''),
            'wsgi.version': (1, 0),
            'wsgi.url_scheme': 'http',
            'wsgi.input': io.BytesIO(body),
            'wsgi.errors': sys.stderr,
            'wsgi.multithread': self.multithread,
            'wsgi.multiprocess': False,
            'wsgi.run_once': False,
            'fc.context': self.context(rid, h.get('creds')),
            'fc.request_uri': h.get('requestURI', ''),
        }
        has_length = False
        for name, value in h['headers']:
            key = name.upper().replace('-', '_')
            if key == 'CONTENT_TYPE':
                environ['CONTENT_TYPE'] = value
                continue
            if key == 'CONTENT_LENGTH':
                has_length = True
                continue
            key = 'HTTP_' + key
            prev = environ.get(key)
            environ[key] = value if prev is None else prev + ',' + value
        environ['CONTENT_LENGTH'] = str(len(body)) if (has_length or body) else ''

        started = []
        chunks = []

        def start_response(status, headers, exc_info=None):
            if exc_info:
                try:
                    if started and started[0][2]:
                        raise exc_info[1].with_traceback(exc_info[2])
                finally:
                    exc_info = None
            elif started:
                raise AssertionError('start_response() called twice without exc_info')
            if not isinstance(status, str) or not status[:3].isdigit():
                raise ValueError('WSGI status must be a string like "200 OK", got %r' % (status,))
            started[:] = [[status, headers, False]]
            return write

        def write(data):
            if not isinstance(data, (bytes, bytearray)):
                raise TypeError('WSGI write() needs bytes, got %s' % type(data).__name__)
            started[0][2] = True
            chunks.append(bytes(data))

        result = app(environ, start_response)
        try:
            for chunk in result:
                if not isinstance(chunk, (bytes, bytearray)):
                    raise TypeError('WSGI response body items must be bytes, got %s' % type(chunk).__name__)
                if chunk:
                    if started:
                        started[0][2] = True
                    chunks.append(bytes(chunk))
        finally:
            close = getattr(result, 'close', None)
            if close is not None:
                close()
        if not started:
            raise AssertionError('the WSGI application returned without calling start_response()')
        status, headers, _ = started[0]
        out = {'t': 'result', 'id': h['id'], 'status': int(status[:3]), 'headers': [[str(k), str(v)] for k, v in headers]}
        return out, b''.join(chunks)

    def event(self, h, body, rid):
        fn = _load(self.cfg['handler'])
        value = fn(body, self.context(rid, h.get('creds')))
        if value is None:
            payload = b''
        elif isinstance(value, (bytes, bytearray)):
            payload = bytes(value)
        elif isinstance(value, str):
            payload = value.encode('utf-8')
        else:
            try:
                payload = json.dumps(value).encode('utf-8')
            except (TypeError, ValueError):
                payload = str(value).encode('utf-8')
        return {'t': 'result', 'id': h['id']}, payload


_channel = None


def _send(header, body=b''):
    data = json.dumps(header).encode('utf-8')
    with _send_lock:
        _channel.sendall(struct.pack('>II', len(data), len(body)) + data)
        if body:
            _channel.sendall(body)


def _read_exact(reader, n):
    data = reader.read(n)
    if data is None or len(data) < n:
        return None
    return data


def main():
    global _channel, _out
    # One pipe for both streams keeps the order of printed lines and log lines (also for C extensions).
    os.dup2(1, 2)
    _out = _Output(1)
    sys.stdout = sys.stderr = _out
    # Output held for a running invocation still reaches the log when the process ends or is stopped.
    atexit.register(_out.drain)

    def _stop(signum, frame):
        _out.drain()
        os._exit(0)

    signal.signal(signal.SIGTERM, _stop)

    # A function that calls os._exit() skips atexit: its held output (and the Start line) would be lost.
    real_exit = os._exit

    def _exit(status):
        _out.drain()
        real_exit(status)

    os._exit = _exit

    def _flusher():
        while True:
            time.sleep(0.25)
            _out.flush_stale(0.2)

    threading.Thread(target=_flusher, name='fc-log-flusher', daemon=True).start()
    cfg = json.loads(os.environ.pop('FCX_RUNTIME_CONFIG'))
    code = cfg['codeDir']
    # The function imports from its code folder, not from this runtime's folder.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != here]
    for p in (os.path.join(code, 'python'), code):
        if p not in sys.path:
            sys.path.insert(0, p)
    _setup_logging()
    runtime = Runtime(cfg)
    _channel = socket.socket(fileno=3)
    reader = _channel.makefile('rb', buffering=1 << 16)
    threaded = runtime.multithread
    while True:
        prefix = _read_exact(reader, 8)
        if prefix is None:
            break  # the emulator went away
        h_len, b_len = struct.unpack('>II', prefix)
        header = json.loads(_read_exact(reader, h_len))
        body = _read_exact(reader, b_len) if b_len else b''
        if threaded:
            threading.Thread(target=runtime.handle, args=(header, body), daemon=True).start()
        else:
            runtime.handle(header, body)
    _out.drain()
    os._exit(0)


if __name__ == '__main__':
    main()
