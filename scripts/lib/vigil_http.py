"""What the daemon's Python checks share (scripts/soak, scripts/check-dispatch-page, scripts/check-daemon-live):
HTTP on loopback with the standard library only, a free port, a token from `vigil token create`, waiting for a
condition, and stopping the processes a check started.

Import it from a script in scripts/ with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
    import vigil_http
"""
import json, socket, subprocess, time, urllib.error, urllib.request

# What a request to a daemon that is not (yet, or no longer) listening raises.
UNREACHABLE = (OSError, urllib.error.URLError)


def free_port():
    """A port on 127.0.0.1 that the kernel has just handed out and nothing holds."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, method="GET", token=None, body=None, headers=None, timeout=10, parse=True):
    """Sends one request; returns (status, answer). Every HTTP status is an answer (4xx and 5xx too): the
    answer is the parsed JSON when the body is a JSON object or array and `parse` is set, else its text.
    `body` (any JSON value) goes as application/json. A connection that fails raises one of UNREACHABLE."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, method=method, data=data)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, text = response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode(errors="replace")
    if parse and text[:1] in ("{", "["):
        try:
            return status, json.loads(text)
        except ValueError:
            pass
    return status, text


def create_token(vigil, data, role, name):
    """A new bearer token for `role`, made with `vigil token create` on the data directory `data`."""
    out = subprocess.run([vigil, "token", "create", "--data", data, "--role", role, "--name", name],
                         capture_output=True, text=True, check=True)
    return out.stdout.split()[0]


def wait_for(check, seconds, interval=0.1):
    """Calls `check` until it returns something true (returned) or `seconds` pass (None). A daemon that
    does not answer yet counts as false."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = check()
            if value:
                return value
        except UNREACHABLE:
            pass
        time.sleep(interval)
    return None


def stop_all(processes, grace=10):
    """SIGTERM to every process still running, then SIGKILL to any that has not ended within `grace` s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
