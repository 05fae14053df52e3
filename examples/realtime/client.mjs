// Following one order's status in the browser with EventSource (the Real-Time Data page).
// `Source` is a parameter only so that the tests can pass a stand-in; a page leaves it out.

// --8<-- [start:client]
const FINAL = new Set(["delivered", "cancelled"]);

export function followOrder(orderId, onStatus, Source = globalThis.EventSource) {
  const source = new Source(`/orders/${orderId}/events`); // reconnects with Last-Event-ID
  source.addEventListener("status", (event) => {
    const { status } = JSON.parse(event.data);
    onStatus(status);
    if (FINAL.has(status)) source.close(); // done: no reconnect (the server would answer 204)
  });
  return source;
}
// --8<-- [end:client]
