"""The order service: a gRPC server for the bookstore's internal callers.

Needs the generated modules orders_pb2 and orders_pb2_grpc on sys.path (see codegen.py).
"""

import queue
import re
import threading
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass

import grpc
import orders_pb2
import orders_pb2_grpc
from google.protobuf.message import DecodeError

MAX_MESSAGE_BYTES = 16 * 1024  # our requests are tiny; gRPC's default limit is 4 MiB
ISBN = re.compile(r"[0-9]{9}[0-9X]|[0-9]{13}")  # not \d: it also matches "١٢٣"
CATALOG_TIMEOUT = 2.0  # seconds; the most a lookup may take, also when the caller set no deadline
FINAL = {orders_pb2.ORDER_STATUS_DELIVERED, orders_pb2.ORDER_STATUS_CANCELED}
_CLOSED = object()
_UNDECODABLE = object()


@dataclass(frozen=True)
class BookRecord:
    isbn: str
    title: str
    price_rupiah: int
    stock: int


class OrderFeed:
    """Status changes of orders, fanned out to every WatchOrder stream that follows them."""

    def __init__(self, known_orders: set[int]) -> None:
        self._lock = threading.Lock()
        self._known = set(known_orders)
        self._subscribers: dict[int, list[queue.Queue]] = {}
        self.changed = threading.Condition(self._lock)  # notified on (un)subscribe

    def watchers(self, order_id: int) -> int:
        return len(self._subscribers.get(order_id, []))

    def exists(self, order_id: int) -> bool:
        return order_id in self._known

    def subscribe(self, order_id: int) -> queue.Queue:
        # Unbounded, yet small: an order changes status at most a handful of times.
        updates: queue.Queue = queue.Queue()
        with self._lock:
            self._subscribers.setdefault(order_id, []).append(updates)
            self.changed.notify_all()
        return updates

    def unsubscribe(self, order_id: int, updates: queue.Queue) -> None:
        with self._lock:
            self._subscribers[order_id].remove(updates)
            self.changed.notify_all()

    def publish(self, order_id: int, status: int) -> None:
        with self._lock:
            for updates in self._subscribers.get(order_id, []):
                updates.put_nowait(status)


# --8<-- [start:servicer]
class OrdersService(orders_pb2_grpc.OrdersServicer):
    def __init__(self, catalog: Callable[[str, float, threading.Event], BookRecord | None],
                 feed: OrderFeed) -> None:
        self._catalog = catalog  # catalog(isbn, timeout, ended) -> BookRecord | None
        self._feed = feed

    def GetBook(self, request, context):
        isbn = request.isbn.replace("-", "")
        if not ISBN.fullmatch(isbn):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "isbn must be 10 or 13 digits")
        # Pass the caller's deadline on. grpcio returns a huge number, not the None its
        # docstring promises, when the caller set no deadline: min() caps both cases.
        timeout = min(context.time_remaining(), CATALOG_TIMEOUT)
        # grpcio does not pass a cancel on by itself: the catalog waits on this event too.
        ended = threading.Event()
        if not context.add_callback(ended.set):  # False: the call has already ended
            ended.set()
        try:
            book = self._catalog(isbn, timeout, ended)
        except TimeoutError:
            context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, "catalog did not answer in time")
        if book is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"no book with isbn {isbn}")
        return orders_pb2.Book(isbn=book.isbn, title=book.title,
                               price_rupiah=book.price_rupiah, stock=book.stock)
# --8<-- [end:servicer]

    # --8<-- [start:watch_order]
    def WatchOrder(self, request, context):
        if request.order_id <= 0:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "order_id must be positive")
        if not self._feed.exists(request.order_id):
            context.abort(grpc.StatusCode.NOT_FOUND, f"no order {request.order_id}")
        updates = self._feed.subscribe(request.order_id)
        try:
            # Runs when the RPC ends for any reason: done, canceled by the client, deadline
            # passed. False means it has already ended.
            if not context.add_callback(lambda: updates.put(_CLOSED)):
                return
            while (status := updates.get()) is not _CLOSED:
                yield orders_pb2.OrderUpdate(order_id=request.order_id, status=status)
                if status in FINAL:
                    return
        finally:
            self._feed.unsubscribe(request.order_id, updates)
    # --8<-- [end:watch_order]


# --8<-- [start:undecodable]
class RejectUndecodable(grpc.ServerInterceptor):
    """Answer bytes that are not a valid message with INVALID_ARGUMENT.

    grpcio answers them with INTERNAL ("Exception deserializing request!"), which tells the
    caller the server is broken when it is the request that is. grpcio has no option for this.
    """

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler.request_streaming or handler.request_deserializer is None:
            return handler  # unknown method, or a client stream (parsed per message; none here)
        parse = handler.request_deserializer

        def safe_parse(data: bytes):
            try:
                return parse(data)
            except DecodeError:  # also raised for a string field that is not UTF-8
                return _UNDECODABLE

        def guarded(behavior):
            def run(request, context):
                if request is _UNDECODABLE:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "request is not a valid message")
                return behavior(request, context)
            return run

        if handler.unary_unary:
            make, behavior = grpc.unary_unary_rpc_method_handler, handler.unary_unary
        else:
            make, behavior = grpc.unary_stream_rpc_method_handler, handler.unary_stream
        return make(guarded(behavior), request_deserializer=safe_parse,
                    response_serializer=handler.response_serializer)
# --8<-- [end:undecodable]


# --8<-- [start:serve]
def serve(service: OrdersService, host: str = "127.0.0.1",
          tls: grpc.ServerCredentials | None = None) -> tuple[grpc.Server, int]:
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),  # an open stream holds one thread
        interceptors=[RejectUndecodable()],
        options=[("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)],
        maximum_concurrent_rpcs=16,  # one more: RESOURCE_EXHAUSTED, not a wait in a queue
    )
    orders_pb2_grpc.add_OrdersServicer_to_server(service, server)
    address = f"{host}:0"  # port 0: the OS picks a free one
    if tls is None:  # plaintext: loopback only
        port = server.add_insecure_port(address)
    else:
        port = server.add_secure_port(address, tls)
    server.start()
    return server, port
# --8<-- [end:serve]
