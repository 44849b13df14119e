//! An authenticated, encrypted channel to a peer over TCP: a hello naming the pair, Noise
//! `XXpsk3_25519_ChaChaPoly_BLAKE2s` with the pair's PSK, then the responder's confirmation, without
//! which the initiator trusts nothing (Noise lets an initiator with a wrong PSK finish its side of
//! the handshake). Every read has a deadline, so a silent or slow peer is dropped.

use std::time::Duration;

use snow::{Builder, HandshakeState, TransportState};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::time::timeout;

use super::wire::{self, Kind, MAX_FRAME, MAX_MESSAGE, MAX_PLAINTEXT, Reassembler, WireError};
use crate::doc_id::DocId;
use crate::seal::DocKey;

const PATTERN: &str = "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2s";

/// How long a peer may take over the whole handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a connected peer may stay silent (a live peer answers every round).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a connection failed, in words for a person.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error("the other laptop does not have this pair's key (or an older one): invite it again")]
    WrongKey,
    #[error("the other laptop does not share this pair")]
    UnknownPair,
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("{0}")]
    Wire(#[from] WireError),
    #[error("the encrypted channel failed ({0})")]
    Noise(#[from] snow::Error),
    #[error("the connection closed")]
    Closed,
    #[error("the network failed ({0})")]
    Io(#[from] std::io::Error),
}

/// The document a channel belongs to, and who is on the other end.
#[derive(Debug, Clone)]
pub struct Peer {
    pub doc: DocId,
    /// The peer's device id, as it said in the handshake (authenticated by the document's key).
    pub device: String,
}

pub struct Channel<S> {
    /// Buffered, so a live session can wait for the peer's next message without reading it
    /// ([`Channel::peer_sent`]).
    stream: BufReader<S>,
    noise: TransportState,
    incoming: Reassembler,
    ready: std::collections::VecDeque<(Kind, Vec<u8>)>,
    pub peer: Peer,
    /// Bytes written and read on the wire (frames included), for the benchmark.
    pub sent: u64,
    pub received: u64,
}

impl<S> std::fmt::Debug for Channel<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel").field("peer", &self.peer).finish()
    }
}

async fn read_frame<S: AsyncRead + Unpin>(
    s: &mut S,
    buf: &mut Vec<u8>,
) -> Result<(), ChannelError> {
    let mut header = [0u8; 2];
    match s.read_exact(&mut header).await {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Err(ChannelError::Closed);
        }
        Err(e) => return Err(e.into()),
    }
    let n = wire::frame_len(header)?;
    buf.resize(n, 0);
    match s.read_exact(buf).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(ChannelError::Closed),
        Err(e) => Err(e.into()),
    }
}

async fn write_frame<S: AsyncWrite + Unpin>(s: &mut S, bytes: &[u8]) -> Result<(), ChannelError> {
    let n = u16::try_from(bytes.len()).map_err(|_| WireError::TooLarge(bytes.len()))?;
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(bytes);
    s.write_all(&out).await?;
    Ok(())
}

fn builder<'a>(
    psk: &'a [u8; 32],
    private: &'a [u8],
    prologue: &'a [u8],
) -> Result<Builder<'a>, snow::Error> {
    let params = PATTERN.parse()?;
    Builder::new(params)
        .local_private_key(private)?
        .psk(3, psk)?
        .prologue(prologue)
}

fn keypair() -> Result<snow::Keypair, snow::Error> {
    Builder::new(PATTERN.parse()?).generate_keypair()
}

/// Runs `f` under the handshake deadline.
async fn deadline<T>(
    limit: Duration,
    f: impl std::future::Future<Output = Result<T, ChannelError>>,
) -> Result<T, ChannelError> {
    timeout(limit, f)
        .await
        .map_err(|_| ChannelError::Timeout(limit))?
}

async fn handshake_write<S: AsyncWrite + Unpin>(
    s: &mut S,
    hs: &mut HandshakeState,
    payload: &[u8],
) -> Result<(), ChannelError> {
    let mut buf = vec![0u8; MAX_FRAME];
    let n = hs.write_message(payload, &mut buf)?;
    write_frame(s, &buf[..n]).await
}

async fn handshake_read<S: AsyncRead + Unpin>(
    s: &mut S,
    hs: &mut HandshakeState,
) -> Result<Vec<u8>, ChannelError> {
    let mut frame = Vec::new();
    read_frame(s, &mut frame).await?;
    let mut payload = vec![0u8; MAX_FRAME];
    let n = hs.read_message(&frame, &mut payload)?;
    payload.truncate(n);
    Ok(payload)
}

fn device_of(payload: &[u8]) -> Result<String, ChannelError> {
    let s = std::str::from_utf8(payload).map_err(|_| WireError::NotTandem)?;
    if s.is_empty() || s.len() > 64 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(WireError::NotTandem.into());
    }
    Ok(s.to_string())
}

impl<S: AsyncRead + AsyncWrite + Unpin> Channel<S> {
    /// Opens a channel for document `doc` as the initiator. Fails with [`ChannelError::WrongKey`]
    /// when the responder could not authenticate us (or does not know the document under this
    /// key).
    pub async fn connect(
        stream: S,
        doc: &DocId,
        key: &DocKey,
        device: &str,
    ) -> Result<Channel<S>, ChannelError> {
        let tagged = wire::Tagged::fresh(&wire::Finder::new(&doc.id, key));
        Self::connect_with(stream, doc, tagged, wire::psk(&doc.id, key), device).await
    }

    /// [`Channel::connect`] with the hello's tag and the PSK given apart (tests pair a right tag
    /// with a wrong PSK).
    pub async fn connect_with(
        mut stream: S,
        doc: &DocId,
        tagged: wire::Tagged,
        psk: zeroize::Zeroizing<[u8; 32]>,
        device: &str,
    ) -> Result<Channel<S>, ChannelError> {
        let kp = keypair()?;
        let hello = wire::hello(&tagged);
        let mut hs = builder(&psk, &kp.private, &hello)?.build_initiator()?;
        let (noise, responder) = deadline(HANDSHAKE_TIMEOUT, async {
            write_frame(&mut stream, &hello).await?;
            handshake_write(&mut stream, &mut hs, &[]).await?;
            // A responder that does not know the pair under this key hangs up here.
            match handshake_read(&mut stream, &mut hs).await {
                Err(ChannelError::Closed | ChannelError::Io(_)) => {
                    return Err(ChannelError::WrongKey);
                }
                other => other?,
            };
            handshake_write(&mut stream, &mut hs, device.as_bytes()).await?;
            let mut noise = hs.into_transport_mode()?;
            // The confirmation: a responder that failed to authenticate us closes instead.
            let mut frame = Vec::new();
            match read_frame(&mut stream, &mut frame).await {
                Ok(()) => {}
                Err(ChannelError::Closed | ChannelError::Io(_)) => {
                    return Err(ChannelError::WrongKey);
                }
                Err(e) => return Err(e),
            }
            let mut plain = vec![0u8; MAX_FRAME];
            let n = noise
                .read_message(&frame, &mut plain)
                .map_err(|_| ChannelError::WrongKey)?;
            let mut r = Reassembler::default();
            let got = r.push(&plain[..n])?;
            match got.as_slice() {
                [(Kind::Confirm, body)] => Ok((noise, device_of(body)?)),
                _ => Err(ChannelError::WrongKey),
            }
        })
        .await?;
        Ok(Channel {
            stream: BufReader::new(stream),
            noise,
            incoming: Reassembler::default(),
            ready: Default::default(),
            peer: Peer {
                doc: doc.clone(),
                device: responder,
            },
            sent: 0,
            received: 0,
        })
    }

    /// Accepts a channel as the responder: `lookup` turns the hello's nonce and tag into the
    /// document and its key (None: not a document of this library).
    pub async fn accept(
        mut stream: S,
        device: &str,
        lookup: impl Fn(&wire::Tagged) -> Option<(DocId, DocKey)>,
    ) -> Result<Channel<S>, ChannelError> {
        let (noise, peer) = deadline(HANDSHAKE_TIMEOUT, async {
            let mut frame = Vec::new();
            read_frame(&mut stream, &mut frame).await?;
            let tagged = wire::parse_hello(&frame)?;
            let (doc, key) = lookup(&tagged).ok_or(ChannelError::UnknownPair)?;
            let psk = wire::psk(&doc.id, &key);
            let kp = keypair()?;
            let mut hs = builder(&psk, &kp.private, &frame)?.build_responder()?;
            handshake_read(&mut stream, &mut hs).await?;
            handshake_write(&mut stream, &mut hs, &[]).await?;
            let payload = handshake_read(&mut stream, &mut hs)
                .await
                .map_err(|e| match e {
                    ChannelError::Noise(snow::Error::Decrypt) => ChannelError::WrongKey,
                    other => other,
                })?;
            let initiator = device_of(&payload)?;
            let mut noise = hs.into_transport_mode()?;
            for piece in wire::chunks(Kind::Confirm, device.as_bytes()) {
                let mut buf = vec![0u8; MAX_FRAME];
                let n = noise.write_message(&piece, &mut buf)?;
                write_frame(&mut stream, &buf[..n]).await?;
            }
            Ok((
                noise,
                Peer {
                    doc,
                    device: initiator,
                },
            ))
        })
        .await?;
        Ok(Channel {
            stream: BufReader::new(stream),
            noise,
            incoming: Reassembler::default(),
            ready: Default::default(),
            peer,
            sent: 0,
            received: 0,
        })
    }

    /// One message's encrypted frames, as they go on the wire. A message over [`MAX_MESSAGE`]
    /// is refused here, as the peer would refuse it.
    fn seal_message(&mut self, kind: Kind, body: &[u8]) -> Result<Vec<u8>, ChannelError> {
        if body.len() + 1 > MAX_MESSAGE {
            return Err(WireError::TooLarge(body.len() + 1).into());
        }
        let mut out = Vec::with_capacity(body.len() + body.len() / MAX_PLAINTEXT * 18 + 32);
        let mut buf = vec![0u8; MAX_FRAME];
        for piece in wire::chunks(kind, body) {
            let n = self.noise.write_message(&piece, &mut buf)?;
            out.extend_from_slice(
                &u16::try_from(n)
                    .map_err(|_| WireError::TooLarge(n))?
                    .to_be_bytes(),
            );
            out.extend_from_slice(&buf[..n]);
        }
        Ok(out)
    }

    /// Sends one message (split into as many frames as it needs), within [`write_limit`] of its
    /// size: a peer that stops reading is cut off like a silent one.
    pub async fn send(&mut self, kind: Kind, body: &[u8]) -> Result<(), ChannelError> {
        let out = self.seal_message(kind, body)?;
        write_all(&mut self.stream, &out).await?;
        self.sent += out.len() as u64;
        Ok(())
    }

    /// Sends one message and receives the peer's next one at the same time, as a round of the
    /// sync protocol does: two laptops that each send a large message at once would otherwise
    /// both wait, writing, for the other to read. The message received must arrive whole within
    /// `limit`.
    pub async fn exchange(
        &mut self,
        kind: Kind,
        body: &[u8],
        limit: Duration,
    ) -> Result<(Kind, Vec<u8>), ChannelError> {
        let out = self.seal_message(kind, body)?;
        let Channel {
            stream,
            noise,
            incoming,
            ready,
            received,
            ..
        } = self;
        let (mut reader, mut writer) = tokio::io::split(stream);
        let ((), got) = tokio::try_join!(
            write_all(&mut writer, &out),
            recv_from(&mut reader, noise, incoming, ready, received, limit)
        )?;
        self.sent += out.len() as u64;
        Ok(got)
    }

    /// Sends only the first frame of a message that claims to be `len` bytes long (tests of a peer
    /// that lies about sizes).
    pub async fn send_announcing(&mut self, kind: Kind, len: usize) -> Result<(), ChannelError> {
        let mut piece = ((len + 1) as u32).to_be_bytes().to_vec();
        piece.push(kind as u8);
        let mut buf = vec![0u8; MAX_FRAME];
        let n = self.noise.write_message(&piece, &mut buf)?;
        write_frame(&mut self.stream, &buf[..n]).await?;
        self.stream.flush().await?;
        Ok(())
    }

    /// Returns once the peer has sent something, without reading it: a live session waits on
    /// this and on its own edits at once (cancelling this loses nothing). Fails when the peer
    /// closed the connection.
    pub async fn peer_sent(&mut self) -> Result<(), ChannelError> {
        if !self.ready.is_empty() {
            return Ok(());
        }
        if self.stream.fill_buf().await?.is_empty() {
            return Err(ChannelError::Closed);
        }
        Ok(())
    }

    /// Receives the next message, which must arrive whole within `limit` (a peer dripping bytes
    /// is cut off like a silent one).
    pub async fn recv(&mut self, limit: Duration) -> Result<(Kind, Vec<u8>), ChannelError> {
        recv_from(
            &mut self.stream,
            &mut self.noise,
            &mut self.incoming,
            &mut self.ready,
            &mut self.received,
            limit,
        )
        .await
    }
}

/// How long writing `bytes` may take: the idle limit, plus a second per 256 KiB (a 32 MiB
/// message over a slow Wi-Fi link).
pub fn write_limit(bytes: usize) -> Duration {
    IDLE_TIMEOUT + Duration::from_millis(bytes as u64 / 256)
}

async fn write_all<W: AsyncWrite + Unpin>(w: &mut W, bytes: &[u8]) -> Result<(), ChannelError> {
    let limit = write_limit(bytes.len());
    timeout(limit, async {
        w.write_all(bytes).await?;
        w.flush().await
    })
    .await
    .map_err(|_| ChannelError::Timeout(limit))??;
    Ok(())
}

/// Reads frames from `r` until a whole message is decrypted and reassembled, within `limit`.
async fn recv_from<R: AsyncRead + Unpin>(
    r: &mut R,
    noise: &mut TransportState,
    incoming: &mut Reassembler,
    ready: &mut std::collections::VecDeque<(Kind, Vec<u8>)>,
    received: &mut u64,
    limit: Duration,
) -> Result<(Kind, Vec<u8>), ChannelError> {
    timeout(limit, async {
        let mut frame = Vec::new();
        let mut plain = vec![0u8; MAX_FRAME];
        loop {
            if let Some(m) = ready.pop_front() {
                return Ok(m);
            }
            read_frame(r, &mut frame).await?;
            *received += frame.len() as u64 + 2;
            let n = noise.read_message(&frame, &mut plain)?;
            ready.extend(incoming.push(&plain[..n])?);
        }
    })
    .await
    .map_err(|_| ChannelError::Timeout(limit))?
}
