"""The gRPC order service (examples/grpc_orders): unary and streaming calls, deadlines, status
codes, message size, schema evolution and TLS, against a real server on a loopback port."""

import datetime
import importlib
import shutil
import subprocess
import sys
import threading
from types import SimpleNamespace

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from google.protobuf.message import DecodeError
from grpc_orders.codegen import PROTO_DIR, CodegenError, generate
from support import ROOT

SLOW_ISBN = "9780000000002"


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    """Generate the stubs into a temporary folder and import them with the server."""
    out = tmp_path_factory.mktemp("grpc_generated")
    generate(out)
    sys.path.insert(0, str(out))
    try:
        yield SimpleNamespace(
            pb2=importlib.import_module("orders_pb2"),
            pb2_grpc=importlib.import_module("orders_pb2_grpc"),
            legacy=importlib.import_module("legacy_book_pb2"),
            server=importlib.import_module("grpc_orders.server"),
            client=importlib.import_module("grpc_orders.client"),
        )
    finally:
        sys.path.remove(str(out))


class SlowCatalog:
    """A catalog with one book and one lookup that never answers in time."""

    def __init__(self, record):
        self.record = record
        self.timeouts: list[float] = []
        self.started = threading.Event()
        self.gave_up = threading.Event()
        self.saw_end = threading.Event()  # the call ended before the lookup's own timeout

    def __call__(self, isbn, timeout, ended):
        if isbn == SLOW_ISBN:
            self.timeouts.append(timeout)
            self.started.set()
            # A lookup that takes as long as it is allowed to, unless the call ends first.
            if ended.wait(timeout):
                self.saw_end.set()
            self.gave_up.set()
            raise TimeoutError
        return self.record if isbn == self.record.isbn else None


@pytest.fixture(scope="module")
def env(g):
    catalog = SlowCatalog(g.server.BookRecord("9786020000001", "Laskar Pelangi", 89000, 12))
    feed = g.server.OrderFeed(known_orders={1, 2, 3, 4})
    server, port = g.server.serve(g.server.OrdersService(catalog, feed))
    channel = g.client.loopback_channel(port)
    yield SimpleNamespace(stub=g.pb2_grpc.OrdersStub(channel), channel=channel, port=port,
                          catalog=catalog, feed=feed)
    channel.close()
    server.stop(grace=None)


def rpc_error(call, *args, **kwargs) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as info:
        result = call(*args, **kwargs)
        if hasattr(result, "__next__"):  # a stream: its status arrives after the messages
            list(result)
    return info.value


# --8<-- [start:unary_test]
def test_get_book_returns_the_book(g, env):
    book = env.stub.GetBook(g.pb2.GetBookRequest(isbn="978-602-000-000-1"), timeout=5)
    assert (book.title, book.price_rupiah, book.stock) == ("Laskar Pelangi", 89000, 12)


def test_unknown_book_is_not_found(g, env):
    err = rpc_error(env.stub.GetBook, g.pb2.GetBookRequest(isbn="9786029999999"), timeout=5)
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert err.details() == "no book with isbn 9786029999999"


@pytest.mark.parametrize("isbn", ["", "abc", "9" * 14, "978602000000١", "1' OR '1'='1",
                                  "9786020000001\x00", "x" * 10_000])
def test_hostile_isbn_is_invalid_argument(g, env, isbn):
    err = rpc_error(env.stub.GetBook, g.pb2.GetBookRequest(isbn=isbn), timeout=5)
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.details() == "isbn must be 10 or 13 digits"
# --8<-- [end:unary_test]


# --8<-- [start:deadline_test]
def test_slow_handler_hits_the_callers_deadline(g, env):
    err = rpc_error(env.stub.GetBook, g.pb2.GetBookRequest(isbn=SLOW_ISBN), timeout=0.3)
    assert err.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    # The server got the caller's deadline (0.3 s, give or take the clock), not its own 2 s,
    # and stopped waiting too.
    assert env.catalog.gave_up.wait(timeout=5)
    assert 0 < env.catalog.timeouts[-1] < 0.5
# --8<-- [end:deadline_test]


# --8<-- [start:cancel_test]
def test_no_deadline_gets_the_cap_and_cancel_reaches_the_catalog(g, env):
    for event in (env.catalog.started, env.catalog.gave_up, env.catalog.saw_end):
        event.clear()
    call = env.stub.GetBook.future(g.pb2.GetBookRequest(isbn=SLOW_ISBN))  # no timeout=
    assert env.catalog.started.wait(timeout=5)
    assert env.catalog.timeouts[-1] == g.server.CATALOG_TIMEOUT  # not 9.2e18, not None
    call.cancel()
    assert env.catalog.gave_up.wait(timeout=5)
    assert env.catalog.saw_end.is_set()  # it stopped because of the cancel, not its timeout
# --8<-- [end:cancel_test]


# --8<-- [start:limits_test]
def test_message_over_the_limit_is_resource_exhausted(g, env):
    big = g.pb2.GetBookRequest(isbn="9" * (g.server.MAX_MESSAGE_BYTES + 1))
    err = rpc_error(env.stub.GetBook, big, timeout=5)
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


@pytest.mark.parametrize("raw", [b"\xff\xff\xff", b"\x0a\x02\xff\xfe"])  # junk; isbn not UTF-8
def test_undecodable_request_is_invalid_argument(env, raw):
    get_book_raw = env.channel.unary_unary("/bookstore.orders.v1.Orders/GetBook")  # bytes in
    err = rpc_error(get_book_raw, raw, timeout=5)
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
# --8<-- [end:limits_test]


def test_without_the_interceptor_grpcio_says_internal(g):
    """Why RejectUndecodable exists: grpcio alone blames itself for a bad request."""
    server = grpc.server(g.server.futures.ThreadPoolExecutor(max_workers=1))
    catalog = SlowCatalog(g.server.BookRecord("9786020000001", "Laskar Pelangi", 89000, 12))
    g.pb2_grpc.add_OrdersServicer_to_server(
        g.server.OrdersService(catalog, g.server.OrderFeed(set())), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    with g.client.loopback_channel(port) as channel:
        err = rpc_error(channel.unary_unary("/bookstore.orders.v1.Orders/GetBook"),
                        b"\xff\xff\xff", timeout=5)
    server.stop(grace=None)
    assert err.code() == grpc.StatusCode.INTERNAL


def wait_for_watchers(feed, order_id, count):
    with feed.changed:
        assert feed.changed.wait_for(lambda: feed.watchers(order_id) == count, timeout=5)


# --8<-- [start:stream_test]
def test_watch_order_streams_until_delivered(g, env):
    updates = env.stub.WatchOrder(g.pb2.WatchOrderRequest(order_id=1), timeout=5)
    wait_for_watchers(env.feed, 1, 1)
    for status in ("PAID", "SHIPPED", "DELIVERED"):
        env.feed.publish(1, g.pb2.OrderStatus.Value(f"ORDER_STATUS_{status}"))
    seen = [g.pb2.OrderStatus.Name(u.status) for u in updates]
    assert seen == ["ORDER_STATUS_PAID", "ORDER_STATUS_SHIPPED", "ORDER_STATUS_DELIVERED"]
    assert updates.code() == grpc.StatusCode.OK
    wait_for_watchers(env.feed, 1, 0)


def test_stream_past_its_deadline_is_closed_on_both_sides(g, env):
    updates = env.stub.WatchOrder(g.pb2.WatchOrderRequest(order_id=2), timeout=0.5)
    wait_for_watchers(env.feed, 2, 1)
    env.feed.publish(2, g.pb2.ORDER_STATUS_PAID)
    assert next(updates).status == g.pb2.ORDER_STATUS_PAID
    with pytest.raises(grpc.RpcError) as info:
        next(updates)  # nothing more happens to order 2 before the deadline
    assert info.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    wait_for_watchers(env.feed, 2, 0)  # the server saw it and stopped following the order


def test_client_cancel_stops_the_server_stream(g, env):
    updates = env.stub.WatchOrder(g.pb2.WatchOrderRequest(order_id=3), timeout=5)
    wait_for_watchers(env.feed, 3, 1)
    updates.cancel()
    wait_for_watchers(env.feed, 3, 0)
# --8<-- [end:stream_test]


def test_one_call_too_many_is_resource_exhausted(g, env):
    streams = [env.stub.WatchOrder(g.pb2.WatchOrderRequest(order_id=4), timeout=5)
               for _ in range(16)]  # maximum_concurrent_rpcs calls that stay open
    wait_for_watchers(env.feed, 4, 16)
    err = rpc_error(env.stub.GetBook, g.pb2.GetBookRequest(isbn="9786020000001"), timeout=5)
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    for stream in streams:
        stream.cancel()
    wait_for_watchers(env.feed, 4, 0)


@pytest.mark.parametrize(("order_id", "code"), [(-1, grpc.StatusCode.INVALID_ARGUMENT),
                                                (0, grpc.StatusCode.INVALID_ARGUMENT),
                                                (404, grpc.StatusCode.NOT_FOUND)])
def test_watch_bad_order(g, env, order_id, code):
    err = rpc_error(env.stub.WatchOrder, g.pb2.WatchOrderRequest(order_id=order_id), timeout=5)
    assert err.code() == code


# --8<-- [start:evolution_test]
def test_old_client_reads_the_new_book(g, env):
    # What a stub generated from version 1.0 of the .proto does: same method, old message class.
    old_get_book = env.channel.unary_unary(
        "/bookstore.orders.v1.Orders/GetBook",
        request_serializer=g.pb2.GetBookRequest.SerializeToString,
        response_deserializer=g.legacy.Book.FromString)
    old = old_get_book(g.pb2.GetBookRequest(isbn="9786020000001"), timeout=5)
    assert (old.title, old.price_rupiah, old.subtitle) == ("Laskar Pelangi", 89000, "")
    # It does not know field 5 but keeps it: a message it passes on still has the stock.
    assert g.pb2.Book.FromString(old.SerializeToString()).stock == 12


def test_protoc_refuses_a_reserved_field_number(tmp_path, capfd):
    (tmp_path / "reuse.proto").write_text(
        'syntax = "proto3";\n'
        "message Book { reserved 4; string isbn = 1; int32 shelf = 4; }\n")
    with pytest.raises(CodegenError):
        generate(tmp_path / "out", proto_dir=tmp_path)
    assert "reserved" in capfd.readouterr().err
# --8<-- [end:evolution_test]


@pytest.mark.parametrize("field", ["int32 shelf = 4;", "string subtitle = 6;"])
def test_the_real_contract_refuses_its_removed_field(tmp_path, capfd, field):
    """Someone re-adds field 4 or the name subtitle to a copy of the real orders.proto."""
    protos = tmp_path / "protos"
    shutil.copytree(PROTO_DIR, protos)
    proto = protos / "orders.proto"
    text = proto.read_text()
    anchor = "  optional int32 stock = 5;"
    assert anchor in text
    proto.write_text(text.replace(anchor, f"  {field}\n{anchor}"))
    with pytest.raises(CodegenError):
        generate(tmp_path / "out", proto_dir=protos)
    assert "reserved" in capfd.readouterr().err


# --8<-- [start:reuse_test]
def test_a_reused_number_is_misread_by_an_old_client(g):
    # A new server sent field 4 again, as "string shelf_code = 4" or "int32 shelf = 4".
    same_wire_type = b"\x0a\x011" + b"\x22\x03A12"  # isbn "1", field 4 = bytes "A12"
    old = g.legacy.Book.FromString(same_wire_type)
    assert old.subtitle == "A12"  # the shelf code, read as a subtitle: no error anywhere
    other_wire_type = b"\x0a\x011" + b"\x20\x07"  # field 4 = varint 7
    old = g.legacy.Book.FromString(other_wire_type)
    assert old.subtitle == ""  # the value disappears from view ...
    assert old.SerializeToString() == other_wire_type  # ... kept only as an unknown field
    with pytest.raises(DecodeError):  # the best case: bytes that are not UTF-8 fail to parse
        g.legacy.Book.FromString(b"\x22\x02\xff\xfe")


def test_optional_stock_tells_zero_from_not_sent(g):
    from_v1_0 = g.pb2.Book.FromString(g.legacy.Book(isbn="1", title="T").SerializeToString())
    assert (from_v1_0.stock, from_v1_0.HasField("stock")) == (0, False)  # unknown, not sold out
    sold_out = g.pb2.Book.FromString(g.pb2.Book(isbn="1", stock=0).SerializeToString())
    assert (sold_out.stock, sold_out.HasField("stock")) == (0, True)
# --8<-- [end:reuse_test]


def self_signed(host: str) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


# --8<-- [start:tls_test]
def test_tls_channel_checks_the_servers_certificate(g, env):
    key_pem, cert_pem = self_signed("localhost")
    tls = grpc.ssl_server_credentials([(key_pem, cert_pem)])
    server, port = g.server.serve(g.server.OrdersService(env.catalog, env.feed), tls=tls)
    try:
        with g.client.tls_channel(f"localhost:{port}", ca_pem=cert_pem) as channel:
            book = g.pb2_grpc.OrdersStub(channel).GetBook(
                g.pb2.GetBookRequest(isbn="9786020000001"), timeout=5)
            assert book.title == "Laskar Pelangi"
        # The right CA, but the address names a host the certificate does not list.
        with g.client.tls_channel(f"127.0.0.1:{port}", ca_pem=cert_pem) as channel:
            err = rpc_error(g.pb2_grpc.OrdersStub(channel).GetBook,
                            g.pb2.GetBookRequest(isbn="9786020000001"), timeout=5)
            assert err.code() == grpc.StatusCode.UNAVAILABLE
            assert "Hostname Verification Check failed" in err.details()
        # The right name, but a CA the client does not trust: gRPC's default roots (whatever
        # they are on this machine) do not hold a certificate made a moment ago.
        with g.client.tls_channel(f"localhost:{port}") as channel:
            err = rpc_error(g.pb2_grpc.OrdersStub(channel).GetBook,
                            g.pb2.GetBookRequest(isbn="9786020000001"), timeout=5)
            assert err.code() == grpc.StatusCode.UNAVAILABLE
            assert "CERTIFICATE_VERIFY_FAILED" in err.details()
    finally:
        server.stop(grace=None)
# --8<-- [end:tls_test]


def test_the_codegen_command_answers_a_bad_output_path_without_a_traceback(tmp_path):
    """Regression: an output path that is a file raised FileExistsError with a traceback."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    for target in (blocker, blocker / "below"):
        result = subprocess.run([sys.executable, "-m", "grpc_orders.codegen", str(target)],
                                cwd=ROOT / "examples", capture_output=True, text=True,
                                check=False, timeout=60)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "— fix: give a directory" in result.stderr
