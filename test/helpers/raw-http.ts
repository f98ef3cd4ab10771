import { connect, type Socket } from 'node:net'

// A client over a real socket, for what `inject` cannot show: timeouts, resets, half-closes.

/** What a client read from one exchange. */
export interface Answer {
  status: number
  headers: Record<string, string>
  body: string
  /** The socket's error, when it ended with one (EPIPE, ECONNRESET). */
  error?: string
  ms: number
}

/**
 * Send `head`, then let `write` send the body while the answer is read as it comes; resolve
 * with what the client read once it has written all it meant to and the server has closed (or
 * the connection broke, or `waitMs` passed). Like curl, the client goes on writing after the
 * server's FIN.
 */
export function exchange(
  port: number,
  head: string,
  write: (socket: Socket) => Promise<void> | void,
  waitMs = 10_000,
) {
  return new Promise<Answer>((resolve) => {
    const started = Date.now()
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
    const chunks: Buffer[] = []
    let error: string | undefined
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      // An interim "100 Continue" is not the answer.
      const text = Buffer.concat(chunks)
        .toString('latin1')
        .replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '')
      const [top = '', body = ''] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = top.split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const at = line.indexOf(':')
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim()
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body,
        error,
        ms: Date.now() - started,
      })
    }
    const timer = setTimeout(done, waitMs)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code
    })
    let ended = false
    let written = false
    const settle = () => {
      if (ended && written) done()
    }
    socket.on('end', () => {
      ended = true
      settle()
    })
    socket.on('close', done)
    socket.write(head)
    Promise.resolve(write(socket)).then(() => {
      written = true
      settle()
    })
  })
}

/**
 * Write `size` bytes of `fill` (then `last`) as a client on a network does: 64 KiB at a time, a
 * few ms apart, so that most of the body is still to be sent when the server answers. Resolves
 * once all is written, or the connection is gone.
 */
export function writeAll(socket: Socket, size: number, fill = ' ', last?: Buffer) {
  return new Promise<void>((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, fill)
    let sent = 0
    socket.once('close', () => resolve())
    const next = () => {
      if (socket.destroyed) return
      if (sent >= size) {
        if (last) socket.write(last, () => resolve())
        else resolve()
        return
      }
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent))
      sent += piece.length
      socket.write(piece, () => setTimeout(next, 2))
    }
    next()
  })
}

/** Like `writeAll`, once the server has said "100 Continue" (curl's way with a large body). */
export function writeAfterContinue(socket: Socket, size: number) {
  return new Promise<void>((resolve) => {
    socket.once('close', () => resolve())
    socket.once('data', (chunk) => {
      if (chunk.toString('latin1').startsWith('HTTP/1.1 100')) writeAll(socket, size).then(resolve)
      else resolve()
    })
  })
}
