"""Emulated WeChat Work (企业微信) server API over the sandbox world's ``wechat_work`` tables.

Demo credentials (fixed, sandbox only): corpid ``ww_sandbox_corp``, corpsecret
``sandbox-secret``. Get a token with ``GET /cgi-bin/gettoken?corpid=&corpsecret=``
and pass it as ``access_token`` in the query string of every other call.

Endpoints: ``externalcontact/get_follow_user_list``, ``externalcontact/list``,
``externalcontact/get``, ``externalcontact/batch/get_by_user`` and
``externalcontact/get_user_behavior_data``; every answer is HTTP 200 with
``errcode``/``errmsg``, as in the real API.

Faults map to the real errors: ``token_ttl_calls`` -> 42001, ``rate_limit_every``
-> 45009, ``server_error_every`` -> -1 (system busy), ``malformed_every`` -> a
record with ``createtime`` "abc" or without ``external_userid`` (alternating),
``drop_connection_after`` / ``drop_connection_every`` -> the socket closes without an
answer (see ``sandbox.emulators.base.Faults``).

Usage::

    app = create_app(sandbox_dir, Faults(rate_limit_every=50))
    with RunningEmulator(app) as emulator:
        ...  # emulator.url

or ``python -m sandbox.emulators.wechat_work --sandbox-dir <dir>`` to serve one.
"""

from sandbox.emulators.wechat_work.app import (
    DEMO_CORPID,
    DEMO_CORPSECRET,
    WeChatWorkApp,
    create_app,
)

__all__ = ["DEMO_CORPID", "DEMO_CORPSECRET", "WeChatWorkApp", "create_app"]
