function __wsc_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __wsc_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __wsc_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __wsc_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __wsc_parse_tokens -S
    set -l unparsed_tokens (__wsc_tokens -pc)
    switch $unparsed_tokens[1]
    case 'wsc'
        __wsc_parse_subcommand 1 'c/connect=' 'H/header=+' 'o/origin=' 'p/protocol=' 's/subprotocol=+' 'auth=' 'L/location' 'max-redirects=' 'allow-insecure-redirect' 'proxy=' 'unix-socket=' 'connect-timeout=' 'close-timeout=' 'max-message-size=' 'ping-interval=' 'ping-timeout=' 'no-compression' 'ca=' 'cert=' 'key=' 'passphrase=' 'n/no-check' 'x/execute=+' 'file=+' 'w/wait=' 'count=' '1' 'echo' 'stats=' 'exec=' 'b/binary' 'binary-format=' 'timestamps' 'pretty' 'P/show-ping-pong' 'q/quiet' 'v/verbose' 'no-color' 'slash' 'no-slash' 'no-history' 'r/reconnect' 'reconnect-delay=' 'reconnect-max-delay=' 'reconnect-attempts=' 'no-resend' 'l/listen=' 'listen-unix=' 'host=' 'demo' 'socketio' 'socketio-path=' 'socketio-transport=' 'namespace=' 'socketio-auth=' 'ack' 'auto-ack' 'jsonl' 'transcript=' 'replay=' 'replay-speed=' 'V' 'version' 'h/help'
    end
end

function __wsc_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __wsc_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __wsc_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __wsc_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__wsc_tokens -p)
    if test -z "$(__wsc_tokens -t)"
        set -l index (count (__wsc_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'wsc' -f
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" c connect' -s 'c' -l 'connect' -d 'The WebSocket URL (wscat\'s spelling; same as the positional argument).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -s 'H' -l 'header' -d 'Add a request header to the handshake (repeatable).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" o origin' -s 'o' -l 'origin' -d 'Send this Origin header.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" p protocol' -s 'p' -l 'protocol' -d 'The WebSocket protocol version asked for: 13 (RFC 6455) or 8 (draft hybi-08, for old servers; the origin is then sent as Sec-WebSocket-Origin), as wscat\'s -p. (default: 13)' -rfka '8 13'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -s 's' -l 'subprotocol' -d 'Offer this subprotocol (repeatable, in order of preference); with -l, accept it.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" auth' -l 'auth' -d 'HTTP Basic credentials for the handshake (overrides user:pass in the URL).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" L location' -s 'L' -l 'location' -d 'Follow redirects (3xx with Location) during the handshake. Authorization and Cookie headers (-H), --auth and the URL\'s user:password are sent only where scheme, host and port all match the URL given; a redirect from wss:// to ws:// is refused (exit 5) unless --allow-insecure-redirect.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" max-redirects' -l 'max-redirects' -d 'How many redirects -L follows at most. (default: 10)' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" allow-insecure-redirect' -l 'allow-insecure-redirect' -d 'With -L: follow a redirect from wss:// to ws:// (refused by default: it would leave TLS).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" proxy' -l 'proxy' -d 'Connect through this proxy: http://host:port (a CONNECT tunnel), socks5://[user:password@]host:port (SOCKS5; wsc resolves the server\'s name) or socks5h://... (the proxy resolves it). Without it, https_proxy (wss), http_proxy (ws), all_proxy (either) and no_proxy from the environment apply.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" unix-socket' -l 'unix-socket' -d 'Connect to this Unix domain socket instead of the URL\'s host and port; the URL still gives the Host header and the path (and, with wss://, TLS\'s server name). A ws+unix:///path.sock:/resource URL does the same.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" connect-timeout' -l 'connect-timeout' -d 'Give up when name resolution, connecting (a host\'s addresses are tried 250 ms apart, Happy Eyeballs), TLS and the handshake take longer than this. (default: 10)' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" close-timeout' -l 'close-timeout' -d 'After sending a close frame, wait this long for the server\'s; after the close handshake, the server closes TCP (RFC 6455 7.1.1), waited for at most 1 s more.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" max-message-size' -l 'max-message-size' -d 'Largest incoming message accepted (e.g. 1048576, 512K, 64M); a larger one closes the connection with 1009.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" ping-interval' -l 'ping-interval' -d 'Send a ping this often while connected, to detect a dead peer (with --socketio over polling: once upgraded to WebSocket).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" ping-timeout' -l 'ping-timeout' -d 'With --ping-interval: declare the peer dead when no pong arrives within this time (default: the interval); wsc closes with 1011, then reconnects with -r or exits with status 7.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-compression' -l 'no-compression' -d 'Do not offer permessage-deflate compression (offered by default); with -l, decline clients\' offers.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" ca' -l 'ca' -d 'Trust the CA certificates in this PEM file instead of the system store. With -l: require client certificates issued by them (mutual TLS).' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" cert' -l 'cert' -d 'Client certificate (PEM) for wss://. With -l: the server\'s certificate chain; the server speaks wss://.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" key' -l 'key' -d 'Private key (PEM) of --cert (default: read from the --cert file).' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" passphrase' -l 'passphrase' -d 'Passphrase of an encrypted --key. Without a value (--passphrase alone), wsc asks for it on the terminal without echoing it. An encrypted key without --passphrase is an error (exit 4).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" n no-check' -s 'n' -l 'no-check' -d 'Do not verify the server\'s certificate or host name (prints a warning).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -s 'x' -l 'execute' -d 'Send this text message after connecting, print replies, then close (repeatable, sent in order). With -b it is sent as binary: its UTF-8 bytes, or hex:48656c6c6f / base64:SGVsbG8= for other bytes. With -r the messages are sent again after every reconnect (see --no-resend).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc"' -l 'file' -d 'Send this file\'s contents as one message after connecting, then close as with -x (repeatable; sent in order with -x). Text when the file is valid UTF-8 (otherwise exit 9), binary with -b. \'-\' reads all of stdin as one message.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" w wait' -s 'w' -l 'wait' -d 'After the last message is sent, keep receiving for up to this many seconds (ending early when the server closes), then close. 0 closes at once. Default: the end-of-input rule (\'End of input\' in the description).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" count' -l 'count' -d 'Exit 0 as soon as this many messages have been received (closing with 1000), whatever else is still arriving or still to be sent. Without -w, wait for them however long they take. Pipe and one-shot mode (with it, a terminal on stdin is read as a pipe).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" 1' -s '1' -d 'Same as --count 1: exit after the first message received.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" echo' -l 'echo' -d 'Send every received message back unchanged (text as text, binary as binary). Without -x, stdin is not read and wsc echoes until the server closes. With -l, each client\'s messages go back to that client (an echo server).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" stats' -l 'stats' -d 'When wsc exits, print a summary on stderr (even with -q): DNS, TCP connect, TLS, handshake and first-message times (ms since connecting began), messages and bytes each way (payload, and on the wire after compression), pings and round-trip times, the close code and reason, and the exit status. --stats=json prints it as one JSON object.' -rfka 'text json'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" exec' -l 'exec' -d 'Run this command (with sh -c) as the other end of the connection: each line it writes to stdout is sent as a message (binary with -b), and each message received is written to its stdin as a line; its stderr is wsc\'s. When it exits, wsc closes with 1000 and exits with its status; when the connection ends, its stdin is closed (SIGTERM after --close-timeout, then SIGKILL). Ctrl-C reaches it too. With -l, one process per client, with WSC_REMOTE_ADDR, WSC_REMOTE_PORT, WSC_PATH and WSC_QUERY in its environment.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" b binary' -s 'b' -l 'binary' -d 'Send input as binary messages, and write received binary messages raw. stdin is still cut into one message per line (at LF only: a CR is data); --file sends a file (or --file -, all of stdin) as one message.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" binary-format' -l 'binary-format' -d 'How received binary messages are shown: hex (a hex dump on a terminal, one line of hex on a pipe), base64 (one line per message), or raw (the bytes as they are). Default: hex, or raw with -b on a pipe. With --socketio, attachments show inside the JSON as {"$binary":"..."} for base64, else as {"$hex":"..."}.' -rfka 'hex base64 raw'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" timestamps' -l 'timestamps' -d 'Interactive session: prefix every received message with its local arrival time (HH:MM:SS.mmm).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" pretty' -l 'pretty' -d 'Interactive session: print received JSON objects and arrays indented by two spaces (strings and numbers exactly as sent); other messages are printed as they are. Not with --socketio, whose events stay one line each.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" P show-ping-pong' -s 'P' -l 'show-ping-pong' -d 'Print received pings and pongs (on stderr). These are WebSocket control frames: Engine.IO\'s heartbeat (--socketio) is data, seen with --jsonl.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" q quiet' -s 'q' -l 'quiet' -d 'Print no status lines on stderr (errors still).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" v verbose' -s 'v' -l 'verbose' -d 'Print the handshake request ("> " lines) and response headers ("< " lines) on stderr. The values of Authorization, Proxy-Authorization, Cookie and Set-Cookie are shown as <masked> (the Authorization scheme stays: "Basic <masked>").'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-color' -l 'no-color' -d 'Never colour the output (NO_COLOR in the environment does the same).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" slash' -l 'slash' -d 'Slash commands in the interactive session: /ping [data], /pong [data], /close [code [reason]], /binary <hex or @file>, /help, /quit; a line starting with // sends the rest after one /. On by default; --no-slash sends every line as typed.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-slash' -l 'no-slash' -d 'Slash commands in the interactive session: /ping [data], /pong [data], /close [code [reason]], /binary <hex or @file>, /help, /quit; a line starting with // sends the rest after one /. On by default; --no-slash sends every line as typed.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-history' -l 'no-history' -d 'Keep no history file for the interactive session (by default up to 1000 entries are kept, mode 0600, in $XDG_STATE_HOME/wsc/history or ~/.local/state/wsc/history).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" r reconnect' -s 'r' -l 'reconnect' -d 'Reconnect when the connection ends without being asked to (lost, closed by the server, ping timeout), with exponential backoff and full jitter. Messages not yet written to the socket are sent after the reconnect, in order.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" reconnect-delay' -l 'reconnect-delay' -d 'Backoff ceiling before the first reconnect; it doubles per attempt. (default: 0.5)' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" reconnect-max-delay' -l 'reconnect-max-delay' -d 'Largest backoff ceiling between attempts. (default: 30)' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" reconnect-attempts' -l 'reconnect-attempts' -d 'Give up after this many consecutive attempts (default: unlimited), exiting with the code of the last outcome (8 if it was a close). A connection that stays up for 10 s resets the count and the delay.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" no-resend' -l 'no-resend' -d 'With -r: do not send the -x messages again after a reconnect (by default they are re-sent first on every new connection, like a login or a subscription).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" l listen' -s 'l' -l 'listen' -d 'Be a server: accept WebSocket clients on this port (0 picks a free one; the address is printed on stderr as \'listening on ws://HOST:PORT/\'; wss:// with --cert and --key), or on a Unix domain socket with unix:PATH. -s names the subprotocols accepted.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" listen-unix' -l 'listen-unix' -d 'Be a server on this Unix domain socket (as -l unix:PATH): created with mode 0600 and removed on exit; a socket file left behind is replaced only if no server answers on it.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" host' -l 'host' -d 'With -l: the address to listen on; :: or 0.0.0.0 accept clients from other hosts.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" demo' -l 'demo' -d 'Start an echo server inside wsc on a free loopback port and connect to it: try wsc without a server.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" socketio' -l 'socketio' -d 'Speak Socket.IO v5 (Engine.IO v4) over the WebSocket: connect to the server\'s Engine.IO path, answer its pings, join the namespace, then emit each input line as an event and print the events that arrive. A server that sends no ping within pingInterval + pingTimeout is taken for dead (exit 7, or reconnect with -r); a refused namespace (CONNECT_ERROR) exits 5.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" socketio-path' -l 'socketio-path' -d 'With --socketio: the server\'s Engine.IO path. (default: /socket.io/)' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" socketio-transport' -l 'socketio-transport' -d 'With --socketio: how to reach the server. auto (the default, as the official clients do) starts with HTTP long-polling and upgrades to WebSocket when the server offers it, and goes straight to WebSocket when the server refuses polling; websocket and polling use only that transport. (default: auto)' -rfka 'auto websocket polling'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" namespace' -l 'namespace' -d 'With --socketio: the namespace to join (default: the URL\'s path, else /).' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" socketio-auth' -l 'socketio-auth' -d 'With --socketio: the CONNECT packet\'s auth payload, a JSON object, e.g. \'{"token":"x"}\'.' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" ack' -l 'ack' -d 'With --socketio: ask for an acknowledgement of every emit, and print the reply as \'ack ID: JSON...\'.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" auto-ack' -l 'auto-ack' -d 'With --socketio: answer every request of the server for an acknowledgement (an event shown with \'[ack ID]\') at once, with no arguments, so that a server awaiting the answer is never stalled. Without it, the input line \'ack ID JSON...\' answers.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" jsonl' -l 'jsonl' -d 'Write every message to stdout as one JSON object per line instead of printing it: received and sent, with -P also pings and pongs, and the close. Fields: time (RFC 3339, UTC, milliseconds), direction (in/out), kind (text/binary/ping/pong/close), length, data (text as a string, binary as base64), and code and reason for a close. Stdin is then read as in pipe mode, even on a terminal (no prompt, no slash commands).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" transcript' -l 'transcript' -d 'Append the same JSON lines as --jsonl to this file (created with mode 0600 if missing) while the session runs as usual: pipe, one-shot or interactive.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" replay' -l 'replay' -d 'Send the outgoing text and binary messages (direction "out") of a transcript written by --transcript or --jsonl, in order, instead of reading stdin; then close as in one-shot mode.' -rF
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" replay-speed' -l 'replay-speed' -d 'With --replay: 0 sends as fast as possible, 1 keeps the transcript\'s timing, 2 replays twice as fast, 0.5 at half speed. (default: 0)' -rfka ''
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" V' -s 'V' -d 'Show the version (wscat\'s spelling of --version).'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" version' -l 'version' -d 'Show the version.'
complete -c 'wsc' -n '__wsc_should_offer_completions_for_flags_or_options "wsc" h help' -s 'h' -l 'help' -d 'Show help information.'
