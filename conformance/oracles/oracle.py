#!/usr/bin/env python3
"""cloudspec oracle: drive the providers' OFFICIAL Python SDKs on request.

The Rust conformance suite starts this process and talks to it in JSON lines: one
JSON object per line on stdin, one JSON object per line on stdout. stdout carries only
protocol lines; every log line goes to stderr. See README.md beside this file.

Start-up line (printed once, before any request is read)::

    {"ready": true, "families": {
        "tencentcloud-sdk-python":  {"available": true, "packages": {"tencentcloud-sdk-python-common": "3.1.195", ...}},
        "alibabacloud-tea-openapi": {...},
        "aliyun-python-sdk-core":   {...},
        "bce-python-sdk":           {...}}}

A family whose import fails is ``{"available": false, "reason": "..."}``.

Requests (each carries an ``id`` that is echoed in the answer):

* ``{"op": "call", "family", "provider", "product", "service", "version", "operation",
  "action", "http_method", "path", "path_params", "endpoint", "region", "credentials":
  {"id", "secret", "token"}, "params": {WireName: value}}`` calls one operation through the
  family's SDK against ``http://<endpoint>``. Answers:

  - ``{"outcome": "ok", "status", "output", "request_id"}``
  - ``{"outcome": "error", "exception", "code", "status", "message", "request_id"}`` (the SDK's
    normal service exception)
  - ``{"outcome": "crash", "exception", "text"}`` (anything else: SDK crash, client-side
    exception, timeout; ``code`` is added when the SDK exception carried one)

  Every call answer also has ``"elapsed_ms"`` and ``"warnings"`` (Python warnings the SDK
  raised during the call, e.g. tencentcloud's "fileds are useless" for unknown parameters).

* ``{"op": "sign", "family", "request": {"method", "url", "headers": [[name, value], ...],
  "body_base64"}, "credentials": {"id", "secret"}}`` recomputes the request's signature
  with the SDK's own signing code. Answer ``{"signature", "sent", "match"}`` or ``{"error"}``.

* ``{"op": "instance_role", "family", "endpoint", "role"}`` runs the family's own
  instance-role credentials provider (alibabacloud-credentials' EcsRamRoleCredentialsProvider,
  tencentcloud-sdk-python's CVMRoleCredential) against the metadata service at
  ``http://<endpoint>`` with the SDK's own paths; ``role`` (or null: the one the service
  names) is the role to read. Answers ``{"outcome": "ok", "credentials": {"id", "secret",
  "token", "expiration"}}`` (expiration in Unix seconds) or ``{"outcome": "crash",
  "exception", "text"}``.

* ``{"op": "ping"}`` answers ``{"pong": true}``; anything else answers ``{"error": ...}``.

No exception escapes a request: a failure becomes an answer and the loop goes on to EOF.
"""

from __future__ import annotations

import base64
import calendar
import contextlib
import importlib
import inspect
import json
import logging
import os
import re
import sys
import time
import traceback
import warnings
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, urlsplit

TIMEOUT_S = 10
"""Connect and read timeout of every SDK call, in seconds."""

LOG = logging.getLogger("cloudspec-oracle")

# The four SDK families: the PyPI distributions whose versions the ready line reports, and
# the modules that must import for the family to count as available. Product modules
# (alibabacloud_ecs20140526, aliyunsdkecs, ...) are imported per call, derived from the
# request, so a missing product package makes that call crash, not the family unavailable.
FAMILIES: dict[str, dict[str, list[str]]] = {
    "tencentcloud-sdk-python": {
        "packages": ["tencentcloud-sdk-python-common", "tencentcloud-sdk-python-cvm"],
        "modules": ["tencentcloud.common.abstract_client", "tencentcloud.common.sign"],
    },
    "alibabacloud-tea-openapi": {
        "packages": [
            "alibabacloud-tea-openapi",
            "alibabacloud-ecs20140526",
            "alibabacloud-ens20171110",
            "alibabacloud-swas-open20200601",
            "alibabacloud-tea-util",
            "alibabacloud-openapi-util",
            "darabonba-core",
        ],
        "modules": ["alibabacloud_tea_openapi.client", "alibabacloud_tea_openapi.utils"],
    },
    "aliyun-python-sdk-core": {
        "packages": [
            "aliyun-python-sdk-core",
            "aliyun-python-sdk-ecs",
            "aliyun-python-sdk-ens",
            "aliyun-python-sdk-swas-open",
        ],
        "modules": ["aliyunsdkcore.client", "aliyunsdkcore.auth.composer.rpc_signature_composer"],
    },
    "bce-python-sdk": {
        "packages": ["bce-python-sdk"],
        "modules": ["baidubce.bce_client_configuration", "baidubce.auth.bce_v1_signer"],
    },
    # The credentials SDK, for its instance-role provider (op "instance_role"); Tencent's
    # (CVMRoleCredential) is part of tencentcloud-sdk-python-common.
    "alibabacloud-credentials": {
        "packages": ["alibabacloud-credentials"],
        "modules": ["alibabacloud_credentials.provider.ecs_ram_role"],
    },
}


class Crash(Exception):
    """A failure that is not the SDK's normal service exception (outcome "crash")."""

    def __init__(self, exc: BaseException, code: Any = None, text: str | None = None) -> None:
        super().__init__(str(exc))
        self.exc = exc
        self.code = code
        self.text = text


class ServiceError(Exception):
    """The SDK's normal service exception, as the fields of an "error" answer."""

    def __init__(self, exception: str, code: Any, status: Any, message: Any, request_id: Any,
                 data: Any = None) -> None:
        super().__init__(f"{exception} {code}")
        self.fields = {"exception": exception, "code": code, "status": status,
                       "message": message, "request_id": request_id}
        if data:
            self.fields["data"] = jsonable(data)


# ----------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------

def snake_case(name: str) -> str:
    """DeleteCustomImages -> delete_custom_images (the tea and bce method names)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def compact_version(version: str) -> str:
    """2020-06-01 -> 20200601 (module names of all three Alibaba/Tencent SDK layouts)."""
    return version.replace("-", "")


def module_name(product: str) -> str:
    """swas-open -> swas_open (Python package names cannot hold a dash)."""
    return product.replace("-", "_")


def jsonable(value: Any) -> Any:
    """Turn an SDK value into something json.dumps accepts, without losing information."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "__dict__"):
        return {k: jsonable(v) for k, v in vars(value).items() if not k.startswith("__")}
    return repr(value)


def list_as_json_string(value: Any) -> Any:
    """A list given for a parameter the SDK types as a plain string becomes a JSON array
    string (SWAS ``ImageIds``: "a JSON array that consists of up to 15 image IDs"),
    written the way a Python user writes one: json.dumps with its default separators."""
    return json.dumps(value) if isinstance(value, list) else value


def blank_proxies() -> None:
    """Every call goes to 127.0.0.1. tencentcloud's ProxyConnection (common/http/request.py,
    _get_proxy_from_env) compares NO_PROXY with "host:port" by substring and aliyunsdkcore's
    HttpResponse reads HTTP_PROXY unconditionally, so a proxy in the environment would be
    used for loopback: drop the proxy variables for this process."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        for variant in (name, name.lower()):
            if os.environ.pop(variant, None) is not None:
                LOG.info("ignoring %s for loopback calls", variant)


@contextlib.contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect the Python warnings an SDK raises while it handles one call."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seen: list[str] = []
        yield seen
        for w in caught:
            # ResourceWarning (e.g. bce_http_client never closes its connection) depends on
            # when the garbage collector runs: log it, keep answers deterministic.
            if issubclass(w.category, ResourceWarning):
                LOG.debug("%s: %s", w.category.__name__, w.message)
            else:
                seen.append(f"{w.category.__name__}: {w.message}")


# ----------------------------------------------------------------------------------------
# the ready line
# ----------------------------------------------------------------------------------------

def probe_family(spec: dict[str, list[str]]) -> dict[str, Any]:
    """Import a family's core modules and report the installed versions of its packages."""
    try:
        for name in spec["modules"]:
            importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - any import failure makes the family unavailable
        return {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
    packages: dict[str, str | None] = {}
    for dist in spec["packages"]:
        try:
            packages[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            packages[dist] = None
    return {"available": True, "packages": packages}


def ready_line() -> dict[str, Any]:
    return {"ready": True, "families": {name: probe_family(spec) for name, spec in FAMILIES.items()}}


# ----------------------------------------------------------------------------------------
# op "call": one adapter per family
# ----------------------------------------------------------------------------------------

@dataclass
class CallResult:
    status: int | None
    output: Any
    request_id: Any
    metadata: Any = None  # bce-python-sdk only: BceResponse.metadata (the response headers)


# SDK client objects, reused across calls with the same key (see client_key()).
CLIENTS: dict[tuple, Any] = {}


def client_key(req: dict[str, Any]) -> tuple:
    cred = req.get("credentials") or {}
    return (
        req["family"], req.get("endpoint"), cred.get("id"), cred.get("secret"), cred.get("token"),
        req.get("region"), req.get("provider"), req.get("product"), req.get("service"), req.get("version"),
    )


def cached_client(req: dict[str, Any], make: Callable[[], Any]) -> Any:
    key = client_key(req)
    if key not in CLIENTS:
        CLIENTS[key] = make()
    return CLIENTS[key]


# --- tencentcloud-sdk-python ------------------------------------------------------------

def tencent_call(req: dict[str, Any]) -> CallResult:
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    service, version, action = req["service"], compact_version(req["version"]), req["action"]
    base = f"tencentcloud.{service}.v{version}"
    models = importlib.import_module(f"{base}.models")

    def make() -> Any:
        client_module = importlib.import_module(f"{base}.{service}_client")
        client_class = getattr(client_module, f"{service[0].upper()}{service[1:]}Client")
        cred = req["credentials"]
        # HttpProfile(protocol, endpoint, reqTimeout): common/profile/http_profile.py. The
        # SDK sends POST with a JSON body by default (reqMethod="POST") and TC3 signing
        # (ClientProfile signMethod default); no retry unless ClientProfile(retryer=...) is given.
        profile = ClientProfile(httpProfile=HttpProfile(
            protocol="http", endpoint=req["endpoint"], reqTimeout=TIMEOUT_S))
        # region "" makes the SDK omit X-TC-Region (abstract_client.py: `if self.region:`).
        return client_class(credential.Credential(cred["id"], cred["secret"], cred.get("token")),
                            req.get("region") or "", profile)

    if req.get("anonymous"):
        return tencent_unsigned_call(req, service, action)
    client = cached_client(req, make)
    # The models take the wire names and JSON values as they are: from_json_string is the
    # SDK's own constructor from JSON (common/abstract_model.py); lists stay lists.
    model = getattr(models, f"{action}Request")()
    model.from_json_string(json.dumps(req.get("params") or {}))
    try:
        response = getattr(client, action)(model)
    except TencentCloudSDKException as exc:
        # The same class carries service errors (code/message/requestId read from
        # Response.Error by _check_error) and client-side failures (ClientNetworkError,
        # ServerNetworkError for a non-200 status, or any Python error re-raised by the
        # generated method as TencentCloudSDKException(type(e).__name__, str(e))). Only a
        # service error has a request id.
        if exc.get_request_id():
            raise ServiceError("TencentCloudSDKException", exc.get_code(), None,
                               exc.get_message(), exc.get_request_id()) from exc
        raise Crash(exc, code=exc.get_code()) from exc
    output = json.loads(response.to_json_string())
    # The generated client returns only the model: the HTTP status is not exposed.
    return CallResult(status=None, output=output, request_id=output.get("RequestId"))


def tencent_unsigned_call(req: dict[str, Any], service: str, action: str) -> CallResult:
    """An operation the spec marks `auth: anonymous`, sent as the SDK itself sends it: its
    OIDCRoleArnCredential.refresh calls AssumeRoleWithWebIdentity through a CommonClient with
    no credential and ``options={'SkipSign': True}`` (tencentcloud/common/credential.py lines
    481-502), which writes ``Authorization: SKIP`` (abstract_client.py line 307)."""
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    def make() -> Any:
        profile = ClientProfile(httpProfile=HttpProfile(
            protocol="http", endpoint=req["endpoint"], reqTimeout=TIMEOUT_S))
        return CommonClient(credential=None, region=req.get("region") or "",
                            version=req["version"], service=service, profile=profile)

    client = cached_client(req, make)
    try:
        body = client.call_json(action, req.get("params") or {}, options={"SkipSign": True})
    except TencentCloudSDKException as exc:
        if exc.get_request_id():
            raise ServiceError("TencentCloudSDKException", exc.get_code(), None,
                               exc.get_message(), exc.get_request_id()) from exc
        raise Crash(exc, code=exc.get_code()) from exc
    output = body.get("Response") if isinstance(body, dict) else None
    request_id = output.get("RequestId") if isinstance(output, dict) else None
    return CallResult(status=None, output=output, request_id=request_id)


# --- alibabacloud-tea-openapi (signature V3) ---------------------------------------------

def tea_request_model(models: Any, action: str, params: dict[str, Any]) -> Any:
    """Build ``<action>Request`` from wire names with the model's own from_map."""
    model_class = getattr(models, f"{action}Request")
    annotations = {name: p.annotation for name, p in inspect.signature(model_class.__init__).parameters.items()}
    adapted: dict[str, Any] = {}
    for wire, value in params.items():
        if isinstance(value, list):
            # Find the attribute from_map fills for this wire name, and its declared type.
            probe = model_class().from_map({wire: value})
            attrs = [k for k, v in vars(probe).items() if v is not None]
            declared = annotations.get(attrs[0]) if attrs else None
            if declared in (str, "str"):
                # alibabacloud_swas_open20200601/models.py DeleteCustomImagesRequest:
                # `image_ids: str = None` with "The value can be a JSON array".
                value = list_as_json_string(value)
        adapted[wire] = value
    # Booleans stay Python bools: that is what the models declare (`force: bool = None`,
    # alibabacloud_ecs20140526/models/_delete_image_request.py); the SDK turns them into text.
    return model_class().from_map(adapted)


def tea_runtime(client_module: Any) -> Any:
    """The RuntimeOptions class the product client itself imports: ECS/ENS use
    darabonba.runtime.RuntimeOptions, SWAS 4.0.0 uses alibabacloud_tea_util.models."""
    runtime_class = getattr(client_module, "RuntimeOptions", None)
    if runtime_class is None:
        runtime_class = client_module.util_models.RuntimeOptions
    return runtime_class(autoretry=False, max_attempts=0,
                         read_timeout=TIMEOUT_S * 1000, connect_timeout=TIMEOUT_S * 1000)


def tea_call(req: dict[str, Any]) -> CallResult:
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
    from alibabacloud_tea_openapi.models import Config
    from darabonba.policy.retry import RetryOptions

    package = f"alibabacloud_{module_name(req['product'])}{compact_version(req['version'])}"
    client_module = importlib.import_module(f"{package}.client")
    models = importlib.import_module(f"{package}.models")

    def make() -> Any:
        cred = req["credentials"]
        # do_request retries on Config.retry_options only (alibabacloud_tea_openapi/client.py,
        # `DaraCore.should_retry(_runtime.get('retryOptions'), _context)`); RuntimeOptions
        # autoretry is not read by this version, it is set off too for older ones.
        config = Config(access_key_id=cred["id"], access_key_secret=cred["secret"],
                        security_token=cred.get("token"), endpoint=req["endpoint"], protocol="http",
                        region_id=req.get("region"), read_timeout=TIMEOUT_S * 1000,
                        connect_timeout=TIMEOUT_S * 1000, retry_options=RetryOptions(retryable=False))
        return client_module.Client(config)

    client = cached_client(req, make)
    request = tea_request_model(models, req["action"], req.get("params") or {})
    # The tea generator glues `with_options` to a name that ends in an acronym:
    # alibabacloud_sts20150401/client.py `assume_role_with_oidcwith_options`.
    snake = snake_case(req['action'])
    method = getattr(client, f"{snake}_with_options", None) or getattr(client, f"{snake}with_options")
    try:
        response = method(request, tea_runtime(client_module))
    except AlibabaCloudException as exc:
        # ClientException (4xx), ServerException (5xx), ThrottlingException (x-acs-retry-after).
        data = exc.data if isinstance(exc.data, dict) else {}
        status = getattr(exc, "status_code", None) or data.get("statusCode")
        raise ServiceError(type(exc).__name__, exc.code, status, exc.message,
                           exc.request_id, data=data) from exc
    body = response.body.to_map() if response.body is not None else None
    request_id = body.get("RequestId") if isinstance(body, dict) else None
    return CallResult(status=response.status_code, output=body, request_id=request_id)


# --- aliyun-python-sdk-core (signature V1) -----------------------------------------------

def v1_setter_type(setter: Callable[..., Any]) -> str | None:
    """The type the generated setter states in its comment: `def set_ImageIds(self, ImageIds):  # String`."""
    try:
        first_line = inspect.getsource(setter).splitlines()[0]
    except (OSError, TypeError):
        return None
    found = re.search(r"#\s*(\w+)", first_line)
    return found.group(1) if found else None


def v1_fill(request: Any, params: dict[str, Any], region: str) -> None:
    """Set each wire parameter through the request class's ``set_<Name>`` setter."""
    for wire, value in params.items():
        setter = getattr(request, f"set_{wire}", None)
        if setter is not None:
            if v1_setter_type(setter) == "String":
                # aliyunsdkswas_open/request/v20200601/DeleteCustomImagesRequest.py:
                # `def set_ImageIds(self, ImageIds):  # String` -> a JSON-array string.
                value = list_as_json_string(value)
            setter(value)
        elif wire == "RegionId" and value == region:
            # No set_RegionId on these requests: RpcRequest.get_url adds the AcsClient's
            # region (aliyunsdkcore/request.py, `if 'RegionId' not in ...: sign_params['RegionId'] = region_id`).
            continue
        else:
            # No setter: the public AcsRequest.add_query_param is what a user falls back on.
            request.add_query_param(wire, list_as_json_string(value))


def v1_call(req: dict[str, Any]) -> CallResult:
    from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException
    from aliyunsdkcore.auth.credentials import StsTokenCredential
    from aliyunsdkcore.client import AcsClient

    cred = req["credentials"]
    action = req["action"]
    request_module = importlib.import_module(
        f"aliyunsdk{module_name(req['product'])}.request.v{compact_version(req['version'])}.{action}Request")

    def make() -> Any:
        options: dict[str, Any] = {"auto_retry": False, "max_retry_time": 0,
                                   "timeout": TIMEOUT_S, "connect_timeout": TIMEOUT_S}
        if req.get("region"):
            # Without a region AcsClient keeps its default region_id="cn-hangzhou"
            # (aliyunsdkcore/client.py), which is what an ENS user who gives none gets.
            options["region_id"] = req["region"]
        if cred.get("token"):
            return AcsClient(credential=StsTokenCredential(cred["id"], cred["secret"], cred["token"]), **options)
        return AcsClient(cred["id"], cred["secret"], **options)

    client = cached_client(req, make)
    request = getattr(request_module, f"{action}Request")()
    request.set_endpoint(req["endpoint"])
    request.set_protocol_type("http")
    v1_fill(request, req.get("params") or {}, client.get_region_id())
    try:
        body = client.do_action_with_exception(request)
    except ServerException as exc:
        raise ServiceError("ServerException", exc.get_error_code(), exc.get_http_status(),
                           exc.get_error_msg(), exc.get_request_id()) from exc
    except ClientException as exc:
        raise Crash(exc, code=exc.get_error_code()) from exc
    output = json.loads(body)
    # do_action_with_exception returns the body bytes only: no status.
    return CallResult(status=None, output=output, request_id=output.get("RequestId"))


# --- bce-python-sdk ----------------------------------------------------------------------

def bce_call(req: dict[str, Any]) -> CallResult:
    from baidubce.auth.bce_credentials import BceCredentials
    from baidubce.bce_client_configuration import BceClientConfiguration
    from baidubce.exception import BceHttpClientError, BceServerError
    from baidubce.retry.retry_policy import NoRetryPolicy

    service = req["service"]
    client_module = importlib.import_module(f"baidubce.services.{service}.{service}_client")

    def make() -> Any:
        cred = req["credentials"]
        config = BceClientConfiguration(
            credentials=BceCredentials(cred["id"], cred["secret"]),
            endpoint="http://" + req["endpoint"],
            connection_timeout_in_mills=TIMEOUT_S * 1000,
            retry_policy=NoRetryPolicy(),  # the default is BackOffRetryPolicy(max_error_retry=3)
            security_token=cred.get("token"))
        return getattr(client_module, f"{service[0].upper()}{service[1:]}Client")(config)

    client = cached_client(req, make)
    params = dict(req.get("params") or {})
    # Path parameters are positional arguments in path order (delete_image(image_id)).
    args = [params.pop(name) for name in req.get("path_params") or []]
    kwargs = {snake_case(name): value for name, value in params.items()}
    try:
        response = getattr(client, snake_case(req["operation"]))(*args, **kwargs)
    except (BceHttpClientError, BceServerError) as exc:
        # send_request wraps every failure in BceHttpClientError(..., last_error).
        inner = getattr(exc, "last_error", exc)
        if isinstance(inner, BceServerError):
            raise ServiceError("BceServerError", jsonable(inner.code), inner.status_code,
                               jsonable(inner.args[0] if inner.args else str(inner)),
                               jsonable(inner.request_id)) from exc
        raise Crash(inner if isinstance(inner, BaseException) else exc, text=str(exc)) from exc
    body = {k: jsonable(v) for k, v in vars(response).items() if k not in ("metadata", "raw_data", "status_code")}
    metadata_ = jsonable(response.metadata)
    # parse_json (baidubce/http/handler.py) records status_code only for a non-empty body.
    return CallResult(status=response.status_code, output=body,
                      request_id=metadata_.get("bce_request_id"), metadata=metadata_)


CALLERS: dict[str, Callable[[dict[str, Any]], CallResult]] = {
    "tencentcloud-sdk-python": tencent_call,
    "alibabacloud-tea-openapi": tea_call,
    "aliyun-python-sdk-core": v1_call,
    "bce-python-sdk": bce_call,
}


def handle_call(req: dict[str, Any]) -> dict[str, Any]:
    caller = CALLERS.get(req.get("family", ""))
    if caller is None:
        return {"outcome": "crash", "exception": "UnknownFamily", "text": f"unknown family {req.get('family')!r}"}
    started = time.perf_counter()
    with captured_warnings() as seen:
        try:
            result = caller(req)
            answer: dict[str, Any] = {"outcome": "ok", "status": result.status,
                                      "output": jsonable(result.output), "request_id": result.request_id}
            if result.metadata is not None:
                answer["metadata"] = result.metadata
        except ServiceError as err:
            answer = {"outcome": "error", **err.fields}
        except Crash as crash:
            answer = {"outcome": "crash", "exception": type(crash.exc).__name__,
                      "text": crash.text or "".join(traceback.format_exception(crash.exc))}
            if crash.code is not None:
                answer["code"] = jsonable(crash.code)
        except Exception as exc:  # noqa: BLE001 - every failure becomes an answer
            answer = {"outcome": "crash", "exception": type(exc).__name__, "text": traceback.format_exc()}
    answer["warnings"] = seen
    answer["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 3)
    return answer


# ----------------------------------------------------------------------------------------
# op "sign": recompute a signature with the SDK's own signer
# ----------------------------------------------------------------------------------------

@dataclass
class WireRequest:
    method: str
    path: str          # as on the wire (percent-encoding kept)
    raw_query: str     # as on the wire
    query: dict[str, str]  # decoded like a form (parse_qsl: "+" is a space), blanks kept
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return ",".join(values) if values else None


def wire_request(spec: dict[str, Any]) -> WireRequest:
    url = urlsplit(spec["url"])
    return WireRequest(
        method=spec["method"].upper(),
        path=url.path or "/",
        raw_query=url.query,
        query=dict(parse_qsl(url.query, keep_blank_values=True)),
        headers=[(str(k), str(v)) for k, v in spec.get("headers") or []],
        body=base64.b64decode(spec.get("body_base64") or ""),
    )


def auth_fields(authorization: str, prefix: str) -> dict[str, str]:
    """'ALG Credential=a, SignedHeaders=b, Signature=c' -> {'Credential': 'a', ...}."""
    if not authorization.startswith(prefix + " "):
        raise ValueError(f"Authorization does not start with {prefix!r}: {authorization!r}")
    fields = {}
    for part in authorization[len(prefix) + 1:].split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value
    return fields


def sign_tencent(w: WireRequest, secret: str) -> tuple[str, str]:
    """TC3-HMAC-SHA256 through AbstractClient._get_tc3_signature, which builds the canonical
    request itself (tencentcloud/common/abstract_client.py) and calls Sign.sign_tc3."""
    from tencentcloud.common.abstract_client import AbstractClient
    from tencentcloud.common.http.request import RequestInternal

    fields = auth_fields(w.header("Authorization") or "", "TC3-HMAC-SHA256")
    _secret_id, date, service, _terminator = fields["Credential"].split("/")
    if fields.get("SignedHeaders") != "content-type;host":
        raise ValueError("tencentcloud-sdk-python signs only SignedHeaders=content-type;host "
                         f"(abstract_client.py _get_tc3_signature); the request lists {fields.get('SignedHeaders')!r}")
    # The SDK keeps these header names in this spelling and reads them case-sensitively.
    header = {"Content-Type": w.header("Content-Type") or "", "Host": w.header("Host") or "",
              "X-TC-Timestamp": w.header("X-TC-Timestamp") or ""}
    if w.header("X-TC-Content-SHA256") is not None:
        header["X-TC-Content-SHA256"] = w.header("X-TC-Content-SHA256")
    # For GET the SDK signs req.data (the urlencoded query) as the canonical query string.
    data: Any = w.raw_query if w.method == "GET" else w.body
    req = RequestInternal(host=header["Host"], method=w.method, uri=w.path, header=header, data=data)
    # _get_tc3_signature does not use self, params or options.
    signature = AbstractClient._get_tc3_signature(None, None, req, date, service, secret)
    return signature, fields["Signature"]


def sign_tea(w: WireRequest, secret: str) -> tuple[str, str]:
    """ACS3-* through alibabacloud_tea_openapi.utils.Utils.get_authorization, the function
    do_request calls (alibabacloud_tea_openapi/client.py), on the headers the request's
    SignedHeaders lists and the hash of the body as sent."""
    from alibabacloud_tea_openapi.utils import Utils
    from darabonba.request import DaraRequest

    authorization = w.header("Authorization") or ""
    algorithm = authorization.split(" ", 1)[0]
    fields = auth_fields(authorization, algorithm)
    signed = [h for h in fields.get("SignedHeaders", "").split(";") if h]
    req = DaraRequest()
    req.method = w.method
    req.pathname = w.path
    req.query = dict(w.query)
    req.headers = {name: w.header(name) for name in signed if w.header(name) is not None}
    payload = Utils.hash(w.body, algorithm).hex()
    recomputed = Utils.get_authorization(req, algorithm, payload, fields.get("Credential", ""), secret)
    return auth_fields(recomputed, algorithm)["Signature"], fields.get("Signature", "")


def sign_v1(w: WireRequest, secret: str) -> tuple[str, str]:
    """Signature V1 through aliyunsdkcore.auth.composer.rpc_signature_composer's own
    string-to-sign and signature functions (the module-private __compose_string_to_sign and
    __get_signature that get_signed_url calls), with the signer SignatureMethod names."""
    from aliyunsdkcore.auth.algorithm import sha_hmac1, sha_hmac256
    from aliyunsdkcore.auth.composer import rpc_signature_composer as composer

    params = dict(w.query)
    sent = params.pop("Signature", "")
    if "x-www-form-urlencoded" in (w.header("Content-Type") or "") and w.body:
        # get_signed_url: sign_params.update(body_params).
        params.update(parse_qsl(w.body.decode("utf-8"), keep_blank_values=True))
    signers = {sha_hmac1.get_signer_name(): sha_hmac1, sha_hmac256.get_signer_name(): sha_hmac256}
    signer = signers.get(params.get("SignatureMethod", ""))
    if signer is None:
        raise ValueError(f"unsupported SignatureMethod {params.get('SignatureMethod')!r}")
    string_to_sign = getattr(composer, "__compose_string_to_sign")(w.method, params)
    signature = getattr(composer, "__get_signature")(string_to_sign, secret, signer)
    return signature, sent


def sign_bce(w: WireRequest, access_key: str, secret: str) -> tuple[str, str]:
    """bce-auth-v1 through baidubce.auth.bce_v1_signer.sign with the timestamp, expiration and
    signed-header list of the request's own Authorization; the SDK passes bytes throughout."""
    from baidubce.auth import bce_v1_signer
    from baidubce.auth.bce_credentials import BceCredentials

    parts = (w.header("Authorization") or "").split("/")
    if len(parts) != 6 or parts[0] != "bce-auth-v1":
        raise ValueError(f"not a bce-auth-v1/AK/TS/EXP/SIGNED/SIG Authorization: {w.header('Authorization')!r}")
    _, _ak, timestamp, expiration, signed, sent = parts
    epoch = calendar.timegm(time.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ"))
    headers_to_sign = [h.encode() for h in signed.split(";")] if signed else None  # empty: the SDK's default set
    headers = {k.encode(): v.encode() for k, v in w.headers}
    params = {k.encode(): v.encode() for k, v in w.query.items()}
    result = bce_v1_signer.sign(BceCredentials(access_key, secret), w.method.encode(), w.path.encode(),
                                headers, params, timestamp=epoch,
                                expiration_in_seconds=int(expiration), headers_to_sign=headers_to_sign)
    return result.decode().rsplit("/", 1)[1], sent


def handle_sign(req: dict[str, Any]) -> dict[str, Any]:
    family = req.get("family")
    cred = req.get("credentials") or {}
    w = wire_request(req["request"])
    if family == "tencentcloud-sdk-python":
        signature, sent = sign_tencent(w, cred["secret"])
    elif family == "alibabacloud-tea-openapi":
        signature, sent = sign_tea(w, cred["secret"])
    elif family == "aliyun-python-sdk-core":
        signature, sent = sign_v1(w, cred["secret"])
    elif family == "bce-python-sdk":
        signature, sent = sign_bce(w, cred["id"], cred["secret"])
    else:
        return {"error": f"unknown family {family!r}"}
    return {"signature": signature, "sent": sent, "match": signature == sent}


# ----------------------------------------------------------------------------------------
# instance-role credentials providers
# ----------------------------------------------------------------------------------------

def alibaba_instance_role(endpoint: str, role: str | None) -> dict[str, Any]:
    """EcsRamRoleCredentialsProvider (alibabacloud-credentials, provider/ecs_ram_role.py)
    with its metadata host (line 41, a private attribute) pointed at ``endpoint``; the Tea
    request keeps the SDK's paths, headers and port 80 default, so ``host:port`` is the URL's."""
    from alibabacloud_credentials.provider.ecs_ram_role import EcsRamRoleCredentialsProvider

    provider = EcsRamRoleCredentialsProvider(role_name=role, async_update_enabled=False)
    setattr(provider, "_EcsRamRoleCredentialsProvider__metadata_service_host", endpoint)
    credentials = provider.get_credentials()
    return {
        "id": credentials.get_access_key_id(),
        "secret": credentials.get_access_key_secret(),
        "token": credentials.get_security_token(),
        "expiration": credentials.get_expiration(),
    }


def tencent_instance_role(endpoint: str, role: str | None) -> dict[str, Any]:
    """CVMRoleCredential (tencentcloud-sdk-python-common, common/credential.py) with its
    role endpoint (line 86, a class attribute) pointed at ``endpoint``, the SDK's path kept."""
    from tencentcloud.common.credential import CVMRoleCredential

    credential = CVMRoleCredential(role_name=role)
    path = CVMRoleCredential._role_endpoint.split("://", 1)[1].split("/", 1)[1]
    credential._role_endpoint = f"http://{endpoint}/{path}"
    secret_id, secret_key, token = credential.get_credential_info()
    if not secret_id:
        raise RuntimeError("CVMRoleCredential kept no credentials (it swallows its errors)")
    return {"id": secret_id, "secret": secret_key, "token": token,
            "expiration": credential._expired_ts}


INSTANCE_ROLE_PROVIDERS: dict[str, Callable[[str, str | None], dict[str, Any]]] = {
    "alibabacloud-credentials": alibaba_instance_role,
    "tencentcloud-sdk-python": tencent_instance_role,
}


def handle_instance_role(req: dict[str, Any]) -> dict[str, Any]:
    run = INSTANCE_ROLE_PROVIDERS.get(req.get("family", ""))
    if run is None:
        return {"error": f"no instance-role provider in family {req.get('family')!r}"}
    started = time.monotonic()
    try:
        credentials = run(req["endpoint"], req.get("role"))
        answer: dict[str, Any] = {"outcome": "ok", "credentials": jsonable(credentials)}
    except Exception as exc:  # noqa: BLE001 - every SDK failure is an answer
        answer = {"outcome": "crash", "exception": type(exc).__name__, "text": str(exc)}
    answer["elapsed_ms"] = int((time.monotonic() - started) * 1000)
    return answer


# ----------------------------------------------------------------------------------------
# the loop
# ----------------------------------------------------------------------------------------

def handle(line: str) -> dict[str, Any]:
    try:
        req = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not JSON: {exc}"}
    if not isinstance(req, dict):
        return {"id": None, "error": "a request is a JSON object"}
    op = req.get("op")
    try:
        if op == "call":
            answer = handle_call(req)
        elif op == "sign":
            answer = handle_sign(req)
        elif op == "instance_role":
            answer = handle_instance_role(req)
        elif op == "ping":
            answer = {"pong": True}
        else:
            answer = {"error": f"unknown op {op!r}"}
    except Exception as exc:  # noqa: BLE001 - a bad request must not end the process
        LOG.debug("request %r failed", req.get("id"), exc_info=True)
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    return {"id": req.get("id"), **answer}


def emit(out: Any, answer: dict[str, Any]) -> None:
    out.write(json.dumps(answer, ensure_ascii=False, default=repr) + "\n")
    out.flush()


def main() -> int:
    logging.basicConfig(stream=sys.stderr, level=os.environ.get("ORACLE_LOG", "WARNING"),
                        format="oracle: %(levelname)s %(message)s")
    # The SDKs must never print on the protocol channel: route their stdout writes to stderr.
    protocol_out = sys.stdout
    sys.stdout = sys.stderr
    blank_proxies()
    emit(protocol_out, ready_line())
    for line in sys.stdin:
        if line.strip():
            emit(protocol_out, handle(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
