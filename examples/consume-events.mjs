#!/usr/bin/env node
// Subscribes to the Catalyst event feed over graphql-ws and prints each event with its position.
//
//   node examples/consume-events.mjs [fromPosition]
//
// Environment:
//   CATALYST_URL         ws(s) URL of the API's GraphQL endpoint (default ws://localhost:4000/graphql)
//   CATALYST_CATEGORIES  comma-separated stream categories (default: all; e.g. incident,team)
//
// Keep the last position you processed (printed with every event) and pass it as the argument to
// resume after it. If the server closes the subscription because this client fell behind, the
// script resubscribes from the last position it printed. Ctrl-C to stop.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.CATALYST_URL ?? 'ws://localhost:4000/graphql';
const categories = process.env.CATALYST_CATEGORIES ? process.env.CATALYST_CATEGORIES.split(',').map((c) => c.trim()) : undefined;
let lastPosition = process.argv[2];
if (lastPosition !== undefined && !/^\d+$/.test(lastPosition)) {
  console.error(`fromPosition must be a decimal position, got "${lastPosition}"`);
  process.exit(2);
}

const query = /* GraphQL */ `
  subscription Events($filter: EventFilterInput) {
    events(filter: $filter) { id type streamId revision position recordedAt data metadata }
  }
`;

const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 5, lazy: true });

function subscribe() {
  const filter = { categories, fromPosition: lastPosition };
  console.error(`subscribing to ${url}${lastPosition ? ` after position ${lastPosition}` : ' (new events only)'}`);
  return client.subscribe(
    { query, variables: { filter } },
    {
      next: (result) => {
        if (result.errors?.length) return resubscribeAfter(result.errors);
        const event = result.data.events;
        lastPosition = event.position;
        console.log(`${event.position}\t${event.type}\t${event.streamId}@${event.revision}\t${JSON.stringify(event.data)}`);
      },
      error: (error) => resubscribeAfter(Array.isArray(error) ? error : [error]),
      complete: () => console.error(`subscription completed; resume with: node examples/consume-events.mjs ${lastPosition ?? ''}`),
    },
  );
}

let unsubscribe = subscribe();

// The server closes a client that does not keep up, naming the position to resume from.
function resubscribeAfter(errors) {
  const message = errors.map((e) => e?.message ?? e?.reason ?? String(e)).join('; ');
  const named = /fromPosition: "(\d+)"/.exec(message);
  if (!named) {
    console.error(`subscription failed: ${message}`);
    process.exit(1);
  }
  console.error(`closed by the server: ${message}`);
  lastPosition = named[1];
  unsubscribe();
  unsubscribe = subscribe();
}

process.on('SIGINT', () => {
  unsubscribe();
  void client.dispose();
  console.error(`stopped; resume with: node examples/consume-events.mjs ${lastPosition ?? ''}`);
  process.exit(0);
});
