// Echo server on node's `ws` package (Debian: node-ws; run with NODE_PATH=/usr/share/nodejs),
// configured as people deploy it: permessage-deflate on, and a message size limit
// (maxPayload, over which ws closes with 1009). Text comes back as text, binary as binary.
//
// usage: node ws_echo_server.js MAX_PAYLOAD_BYTES
//
// Binds 127.0.0.1 on a free port and prints the port as its first stdout line. Exits when its
// standard input reaches end of file (the test harness holds the other end), so it never
// outlives the test process.
'use strict';

const { WebSocketServer } = require('ws');

const maxPayload = Number.parseInt(process.argv[2], 10);
if (!Number.isInteger(maxPayload) || maxPayload <= 0) {
    console.error('usage: node ws_echo_server.js MAX_PAYLOAD_BYTES');
    process.exit(2);
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload });
server.on('listening', () => {
    process.stdout.write(`${server.address().port}\n`);
});
server.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
        socket.send(data, { binary: isBinary });
    });
    // A client that breaks a limit gets its close frame from ws; nothing else to do here.
    socket.on('error', () => {});
});

process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
