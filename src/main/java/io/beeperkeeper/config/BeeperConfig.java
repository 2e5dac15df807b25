package io.beeperkeeper.config;

/**
 * All settings of one Beeper Keeper process, validated. Each section is a record whose compact
 * constructor refuses bad values with the key's name; {@link ConfigLoader} builds it from defaults,
 * beeper.yaml, environment variables and command-line options, in that order.
 */
public record BeeperConfig(NodeConfig node, WebConfig web, DataConfig data, MqttConfig mqtt, SensorsConfig sensors,
                           HistoryConfig history, ViewersConfig viewers, ChatConfig chat, MediaConfig media,
                           CamerasConfig cameras, WebRtcConfig webrtc, AlertsConfig alerts, RtspConfig rtsp,
                           ThermalConfig thermal, TimelapseConfig timelapse, MotionConfig motion,
                           RecordingsConfig recordings) {

    public static BeeperConfig defaults() {
        return new BeeperConfig(NodeConfig.defaults(), WebConfig.defaults(), DataConfig.defaults(),
                MqttConfig.defaults(), SensorsConfig.defaults(), HistoryConfig.defaults(), ViewersConfig.defaults(),
                ChatConfig.defaults(), MediaConfig.defaults(), CamerasConfig.defaults(), WebRtcConfig.defaults(),
                AlertsConfig.defaults(), RtspConfig.defaults(), ThermalConfig.defaults(), TimelapseConfig.defaults(),
                MotionConfig.defaults(), RecordingsConfig.defaults());
    }

}
