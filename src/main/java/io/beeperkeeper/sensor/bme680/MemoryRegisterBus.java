package io.beeperkeeper.sensor.bme680;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A 256-register map in memory: the chip as seen by {@code i2cdump}, for tests and for decoding a dump by
 * hand. Writes are stored and recorded; an optional {@link WriteHook} lets a test play the chip (for
 * instance, fill the data registers when forced mode is written). Not thread-safe; one user at a time.
 */
final class MemoryRegisterBus implements RegisterBus {
    /** Called after each write, with the bus so the hook can change other registers. */
    @FunctionalInterface
    public interface WriteHook {
        void afterWrite(MemoryRegisterBus bus, int register, int value);
    }

    /** One write as the driver issued it. */
    public record Write(int register, int value) {
    }

    private final byte[] registers;
    private final List<Write> writes = new ArrayList<>();
    private WriteHook hook = (b, r, v) -> { };

    public MemoryRegisterBus(byte[] registers) {
        if (registers.length != 256) {
            throw new IllegalArgumentException("a register map has 256 registers, got " + registers.length);
        }
        this.registers = registers.clone();
    }

    public MemoryRegisterBus() {
        this(new byte[256]);
    }

    public void onWrite(WriteHook hook) {
        this.hook = hook;
    }

    /** Sets a register without recording a write (the chip's own doing). */
    public void set(int register, int value) {
        registers[check(register)] = (byte) value;
    }

    public int get(int register) {
        return registers[check(register)] & 0xFF;
    }

    public List<Write> writes() {
        return List.copyOf(writes);
    }

    @Override
    public byte[] read(int register, int length) {
        check(register);
        if (length < 0 || register + length > 256) {
            throw new IllegalArgumentException("read of " + length + " registers from 0x" + Integer.toHexString(register) + " runs past 0xFF");
        }
        return Arrays.copyOfRange(registers, register, register + length);
    }

    @Override
    public void write(int register, int value) {
        registers[check(register)] = (byte) value;
        writes.add(new Write(register, value & 0xFF));
        hook.afterWrite(this, register, value & 0xFF);
    }

    private static int check(int register) {
        if (register < 0 || register > 0xFF) {
            throw new IllegalArgumentException("register 0x" + Integer.toHexString(register) + " is outside 0x00-0xFF");
        }
        return register;
    }
}
