// The browser half of the chat-room scenario: this tab's engine links to the server
// (examples/remote/chat_server, or a node serving this page) and its user is a JS actor that
// joins the server's room. Only the public API of actors.mjs.
//
//   chat.html?server=ws://127.0.0.1:PORT&token=T[&name=N]
//   (without server=, the node that served the page, ws://<this host>/, with the token its
//   inspector.json hands out when the node was started with --page-token: scripts/demo.sh)
import { createRuntime } from './actors/actors.mjs';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const serverUrl = params.get('server') ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`;
let token = params.get('token');
if (token === null) {
  try {
    const config = await (await fetch('inspector.json')).json();
    token = typeof config.token === 'string' ? config.token : '';
  } catch {
    token = '';
  }
}
$('server').textContent = serverUrl;
$('name').value = params.get('name') ?? `guest-${Math.floor(Math.random() * 1000)}`;

function status(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
}

function log(kind, text) {
  const li = document.createElement('li');
  li.className = kind;
  li.dataset.type = kind;
  li.textContent = text;
  $('log').append(li);
  $('log').scrollTop = $('log').scrollHeight;
}

const members = new Set();
function showMembers() { $('members').textContent = [...members].join(', ') || '–'; }

const engine = (await createRuntime()).createEngine();
const link = engine.connect(serverUrl, { token });
// Shutting the engine down says goodbye on its link: the room sees this user leave at once,
// instead of when the server's heartbeats give up on the closed connection.
addEventListener('pagehide', () => engine.shutdown());
let room = null;
let user = null;

try {
  const node = await link.ready;
  room = await link.lookup('room');
  if (!room) throw new Error(`the server ${node} has no actor named "room"`);
  status('linked', `linked to ${node} as ${link.name}`);
  $('join').disabled = false;
  // The server going away ends the room's actor for us: watch it, and say so.
  engine.watch(room).then((info) => {
    status('down', `the room is gone (${info.reason}${info.detail ? `: ${info.detail}` : ''})`);
    for (const id of ['join', 'leave', 'say']) $(id).disabled = true;
  });
} catch (e) {
  status('refused', `not linked: ${e.message}`);
}
document.body.dataset.ready = 'true';

$('join-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (user || !room) return;
  const name = $('name').value.trim();
  $('join').disabled = true;
  user = engine.spawn(`user-${name}`, {
    started(ctx) {
      ctx.request(room, { type: 'join', name }, (_ctx, r) => {
        if (!r.ok || !r.value.ok) {
          log('error', `could not join: ${r.ok ? r.value.error : r.error.message}`);
          ctx.stop();
          user = null;
          $('join').disabled = false;
          return;
        }
        for (const m of r.value.members) members.add(m);
        showMembers();
        log('joined', `you joined as ${name}`);
        $('say').disabled = false;
        $('leave').disabled = false;
      });
    },
    receive(ctx, msg) {
      if (msg.say !== undefined) return void ctx.send(room, { type: 'say', text: msg.say });
      if (msg.leave) {
        ctx.send(room, { type: 'leave' });
        return void ctx.stop();
      }
      if (msg.type === 'said') log('said', `${msg.name}: ${msg.text}`);
      else if (msg.type === 'joined') { members.add(msg.name); log('joined', `${msg.name} joined`); }
      else if (msg.type === 'left') { members.delete(msg.name); log('left', `${msg.name} left (${msg.why})`); }
      showMembers();
    },
  });
});

$('say-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('text').value;
  if (!user || text === '') return;
  engine.send(user, { say: text });
  $('text').value = '';
});

$('leave').addEventListener('click', () => {
  if (!user) return;
  engine.send(user, { leave: true });
  user = null;
  members.clear();
  showMembers();
  log('left', 'you left');
  $('say').disabled = true;
  $('leave').disabled = true;
  $('join').disabled = false;
});
