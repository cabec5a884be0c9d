// GraphiQL against this router: HTTP for queries and mutations, the same
// path over WebSocket (graphql-transport-ws) for subscriptions.
(function () {
  var http = new URL("/graphql", window.location.href);
  var ws = new URL("/graphql", window.location.href);
  ws.protocol = ws.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({
    url: http.href,
    subscriptionUrl: ws.href,
  });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: true,
    })
  );
})();
