//! `gongkai serve` started on a free port, with raw HTTP and a WebSocket to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tungstenite::stream::MaybeTlsStream;

use super::Site;

pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(site: &Site) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("--root")
            .arg(site.root())
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gongkai serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("serve printed its address")
                .expect("utf-8");
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .split('/')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("port");
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port }
    }

    /// A raw GET, so that paths reach the server exactly as written.
    pub fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read");
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, response)
    }

    pub fn socket(&self) -> Socket {
        let mut socket = self.socket_raw();
        let hello = socket.next(Duration::from_secs(5)).expect("first message");
        assert!(
            hello.contains("\"ok\"") || hello.contains("errors"),
            "{hello}"
        );
        socket
    }
}

pub struct Socket {
    socket: tungstenite::WebSocket<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    /// The next text message within `wait`.
    pub fn next(&mut self, wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(tungstenite::Message::Text(text)) => return Some(text.to_string()),
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(error) => panic!("websocket: {error}"),
            }
        }
        None
    }

    /// Waits for a message containing `needle`, skipping others.
    pub fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(message) = self.next(Duration::from_millis(500))
                && message.contains(needle)
            {
                return message;
            }
        }
        panic!("no message with {needle} within 10 s");
    }
}

impl Server {
    /// A socket without reading its first message.
    pub fn socket_raw(&self) -> Socket {
        let (mut socket, _) =
            tungstenite::connect(format!("ws://127.0.0.1:{}/__gongkai/livereload", self.port))
                .expect("websocket");
        if let MaybeTlsStream::Plain(stream) = socket.get_mut() {
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .expect("timeout");
        }
        Socket { socket }
    }
}
