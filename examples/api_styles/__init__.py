"""One order in four API styles: HATEOAS links, a JSON:API document, a GraphQL schema and a SOAP
envelope (the Other API Styles page)."""
