// A full disk for a MinerDesk process started with `node --import` this file, where a test cannot mount
// a small tmpfs (not root): every write under MD_TEST_DISK_DIR takes from the byte budget read
// from MD_TEST_DISK_BUDGET_FILE ("unlimited" or a number, re-read at each write, so the test can
// fill the "disk" at any moment). A write beyond the budget is cut short, the next one fails
// with ENOSPC, exactly as the kernel reports a full device.
import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'

const dir = process.env.MD_TEST_DISK_DIR && path.resolve(process.env.MD_TEST_DISK_DIR)
const budgetFile = process.env.MD_TEST_DISK_BUDGET_FILE
const realWriteSync = fs.writeSync
const realReadFileSync = fs.readFileSync

function budget() {
  const text = String(realReadFileSync(budgetFile, 'utf8')).trim()
  return text === 'unlimited' ? Infinity : Number(text)
}
function spend(n) {
  if (n > 0) fs.writeFileSync(budgetFile, String(budget() - n))
}
function enospc(p) {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${p}'`), { code: 'ENOSPC', errno: -28, syscall: 'write' })
}
const under = (p) => typeof p === 'string' && dir !== undefined && path.resolve(p).startsWith(dir + path.sep)

// Which fds and file handles point under the directory (opened by path).
const fds = new Map()
const realOpenSync = fs.openSync
fs.openSync = function (p, ...rest) {
  const fd = realOpenSync.call(this, p, ...rest)
  if (under(p)) fds.set(fd, String(p))
  return fd
}
const realCloseSync = fs.closeSync
fs.closeSync = function (fd) {
  fds.delete(fd)
  return realCloseSync.call(this, fd)
}
fs.writeSync = function (fd, buf, ...rest) {
  const p = fds.get(fd)
  if (p === undefined || typeof buf === 'string') return realWriteSync.call(this, fd, buf, ...rest)
  const offset = typeof rest[0] === 'number' ? rest[0] : 0
  const length = typeof rest[1] === 'number' ? rest[1] : buf.length - offset
  const left = budget()
  if (left <= 0) throw enospc(p)
  const n = realWriteSync.call(this, fd, buf, offset, Math.min(length, left), rest[2])
  spend(n)
  return n
}

const realOpen = fs.promises.open
fs.promises.open = async function (p, ...rest) {
  const fh = await realOpen.call(this, p, ...rest)
  if (!under(p)) return fh
  const realWrite = fh.write.bind(fh)
  fh.write = async (buf, offset = 0, length, position) => {
    if (typeof buf === 'string') return realWrite(buf, offset, length, position)
    const len = length ?? buf.length - offset
    const left = budget()
    if (left <= 0) throw enospc(String(p))
    const r = await realWrite(buf, offset, Math.min(len, left), position)
    spend(r.bytesWritten)
    return r
  }
  return fh
}
