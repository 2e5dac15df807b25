package io.beeperkeeper.media;

/** Which track of a {@link Stream} a {@link Frame} belongs to. */
public enum MediaKind { VIDEO, AUDIO }
