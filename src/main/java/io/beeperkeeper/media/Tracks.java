package io.beeperkeeper.media;

import java.util.Optional;

/**
 * What a stream carries right now: always one H.264 video track, and an audio track or none. A
 * player is built from exactly this (so it never asks for audio a camera does not have). The value
 * changes only when the camera process restarts with a different SPS/PPS or audio config.
 */
public record Tracks(VideoTrack video, Optional<AudioTrack> audio) {
    public Tracks {
        if (video == null || audio == null) {
            throw new IllegalArgumentException("video track and audio option are required");
        }
    }

    public static Tracks videoOnly(VideoTrack video) {
        return new Tracks(video, Optional.empty());
    }

    public static Tracks of(VideoTrack video, AudioTrack audioOrNull) {
        return new Tracks(video, Optional.ofNullable(audioOrNull));
    }

    /** MIME type with codecs for {@code MediaSource.isTypeSupported}, e.g. {@code video/mp4; codecs="avc1.42C01E,opus"}. */
    public String mimeType() {
        return "video/mp4; codecs=\"" + video.codecString() + audio.map(a -> "," + a.codecString()).orElse("") + "\"";
    }
}
