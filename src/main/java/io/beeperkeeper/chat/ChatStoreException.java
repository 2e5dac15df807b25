package io.beeperkeeper.chat;

/** The chat's database refused a read or write (a full disk, a locked or damaged file). */
final class ChatStoreException extends IllegalStateException {
    ChatStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
