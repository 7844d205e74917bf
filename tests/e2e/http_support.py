"""Plain HTTP against function URLs and HTTP APIs: requests that return status, headers and body for any status."""
import http.client
import json
import urllib.parse

from conftest import make_zip


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        values = [v for n, v in self.headers if n.lower() == name.lower()]
        return ", ".join(values) if values else None

    def all(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def json(self):
        return json.loads(self.body)


def request(url, method="GET", path="", headers=None, body=None, connection=None):
    """Sends one request to `url` + `path` (`path` relative to the URL's root); a given `connection` is reused."""
    parsed = urllib.parse.urlsplit(url)
    conn = connection or http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    target = "/" + path.lstrip("/") if path else (parsed.path or "/")
    conn.request(method, target, body=body, headers=headers or {})
    r = conn.getresponse()
    answer = Answer(r.status, r.getheaders(), r.read())
    if connection is None:
        conn.close()
    return answer


def function_code(source):
    return {"ZipFile": make_zip({"app.py": source})}


ECHO = """
import json
def handler(event, context):
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}
"""


def public_url(lam, function_name, qualifier=None, **config):
    """A NONE-auth URL whose function policy lets anyone call it (both permissions AWS requires)."""
    extra = {"Qualifier": qualifier} if qualifier else {}
    url = lam.create_function_url_config(FunctionName=function_name, AuthType="NONE", **extra, **config)["FunctionUrl"]
    lam.add_permission(FunctionName=function_name, StatementId="url", Action="lambda:InvokeFunctionUrl",
                       Principal="*", FunctionUrlAuthType="NONE", **extra)
    lam.add_permission(FunctionName=function_name, StatementId="invoke", Action="lambda:InvokeFunction",
                       Principal="*", InvokedViaFunctionUrl=True, **extra)
    return url
