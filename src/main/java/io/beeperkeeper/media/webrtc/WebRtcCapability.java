package io.beeperkeeper.media.webrtc;

import io.beeperkeeper.media.AudioTrack;
import io.beeperkeeper.media.Tracks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a camera's tracks allow over WebRTC, for {@code /api/cameras}: video always (H.264 is relayed
 * as is), audio only when the camera sends Opus (browsers' WebRTC has no AAC), with a sentence the
 * page can show.
 */
final class WebRtcCapability {
    private WebRtcCapability() {
    }

    /** Keys {@code webrtc}, {@code webrtcAudio}, {@code webrtcNote}; add them to a camera's JSON. */
    public static Map<String, Object> describe(Tracks tracks, boolean enabled) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean opus = tracks.audio().map(a -> a.codec() == AudioTrack.Codec.OPUS).orElse(false);
        out.put("webrtc", enabled);
        out.put("webrtcAudio", enabled && opus);
        String note;
        if (!enabled) {
            note = "WebRTC is switched off (webrtc.enabled=false)";
        } else if (tracks.audio().isEmpty()) {
            note = "video only (the camera has no audio)";
        } else if (!opus) {
            note = "video only over WebRTC: the camera's audio is " + tracks.audio().get().codec() + " and WebRTC needs Opus (MSE plays it)";
        } else {
            note = "video and Opus audio";
        }
        out.put("webrtcNote", note);
        return out;
    }
}
