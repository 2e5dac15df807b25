package io.beeperkeeper.sensor.bme680;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link RegisterBus} on Linux i2c-dev ({@code /dev/i2c-N}): open, {@code ioctl(I2C_SLAVE)}, then a
 * one-byte write of the register address followed by a read (the BME68x auto-increments), or a two-byte
 * write for a register write. libc is reached through JNA: no native code of ours.
 */
final class I2cDevBus implements RegisterBus, Closeable {
    static final long I2C_SLAVE = 0x0703;
    private static final int O_RDWR = 0x0002;

    /** The four libc calls we need; JNA maps errno to LastErrorException. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

        int read(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        int write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final LibC libc;
    private final Path device;
    private final int address;
    private int fd;

    private I2cDevBus(LibC libc, Path device, int address, int fd) {
        this.libc = libc;
        this.device = device;
        this.address = address;
        this.fd = fd;
    }

    /** Opens {@code device} (such as /dev/i2c-1) and selects the chip at {@code address} (0x76 or 0x77). */
    public static I2cDevBus open(Path device, int address) throws IOException {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot load libc through JNA for I2C access: " + e.getMessage(), e);
        }
        int fd;
        try {
            fd = libc.open(device.toString(), O_RDWR);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + device + " (errno " + e.getErrorCode() + "): enable I2C with"
                    + " 'sudo raspi-config nonint do_i2c 0' (or dtparam=i2c_arm=on) and make sure this user may use it"
                    + " (group i2c)", e);
        }
        try {
            libc.ioctl(fd, new NativeLong(I2C_SLAVE), new NativeLong(address));
        } catch (LastErrorException e) {
            libc.close(fd);
            throw new IOException(String.format("%s: ioctl I2C_SLAVE 0x%02x failed (errno %d); is it an I2C adapter,"
                    + " and is the address free (not claimed by a kernel driver such as bme680's IIO overlay)?",
                    device, address, e.getErrorCode()), e);
        }
        return new I2cDevBus(libc, device, address, fd);
    }

    @Override
    public synchronized byte[] read(int register, int length) throws IOException {
        ensureOpen();
        transfer(new byte[]{(byte) register}, true);
        byte[] buf = new byte[length];
        int n;
        try {
            n = libc.read(fd, buf, new NativeLong(length));
        } catch (LastErrorException e) {
            throw failure("read", register, e);
        }
        if (n != length) {
            throw new IOException(String.format("%s 0x%02x: short read at 0x%02x, %d of %d bytes", device, address, register, n, length));
        }
        return buf;
    }

    @Override
    public synchronized void write(int register, int value) throws IOException {
        ensureOpen();
        transfer(new byte[]{(byte) register, (byte) value}, false);
    }

    private void transfer(byte[] bytes, boolean forRead) throws IOException {
        int n;
        try {
            n = libc.write(fd, bytes, new NativeLong(bytes.length));
        } catch (LastErrorException e) {
            throw failure(forRead ? "address write" : "write", bytes[0] & 0xFF, e);
        }
        if (n != bytes.length) {
            throw new IOException(String.format("%s 0x%02x: short write at 0x%02x", device, address, bytes[0] & 0xFF));
        }
    }

    private IOException failure(String what, int register, LastErrorException e) {
        return new IOException(String.format("%s 0x%02x: %s at register 0x%02x failed (errno %d); is the chip wired"
                + " and at this address (i2cdetect -y 1)?", device, address, what, register, e.getErrorCode()), e);
    }

    private void ensureOpen() throws IOException {
        if (fd < 0) {
            throw new IOException(device + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            try {
                libc.close(fd);
            } catch (LastErrorException ignored) {
                // nothing left to do with a descriptor that will not close
            }
            fd = -1;
        }
    }
}
