"""Bench media, generated with ffmpeg, espeak-ng and sox and cached under bench/.cache.

The sound is as hard to encode as a real programme: espeak-ng speech, pink noise and a
three-note chord mixed together (LAME spends ~48 kb/s on a pure sine, which flatters every
encoder). The picture is 1080p H.264 at a phone-like bitrate, so the demuxer has real work.
"""
import os
import subprocess

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache")

TEXT = ("This is a benchmark of taking the sound out of a video. A person speaks over a room "
        "full of noise while music plays under the voice, the way a lecture, an interview or a "
        "podcast sounds when it is recorded on a phone. Numbers, names and places follow: "
        "one hundred and twenty three, Amsterdam, Nairobi, Kyoto, Valparaiso. ")


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


def speech(seconds):
    """A WAV of `seconds` of programme-like sound (speech + noise + chord), cached."""
    os.makedirs(CACHE, exist_ok=True)
    out = os.path.join(CACHE, f"programme-{seconds}s.wav")
    if os.path.exists(out):
        return out
    voice = os.path.join(CACHE, "voice.wav")
    if not os.path.exists(voice):
        sh("espeak-ng", "-s", "165", "-w", voice, TEXT * 3)
    # sox pads the voice to 48 kHz stereo; ffmpeg loops it to length and mixes noise and a chord.
    voice48 = os.path.join(CACHE, "voice48.wav")
    if not os.path.exists(voice48):
        sh("sox", voice, "-r", "48000", "-c", "2", voice48)
    tmp = out + ".part.wav"
    sh("ffmpeg", "-nostdin", "-y", "-v", "error",
       "-stream_loop", "-1", "-i", voice48,
       "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.08:sample_rate=48000:duration={seconds}",
       "-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=48000:duration={seconds}",
       "-f", "lavfi", "-i", f"sine=frequency=277:sample_rate=48000:duration={seconds}",
       "-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=48000:duration={seconds}",
       "-filter_complex",
       "[1:a]aformat=channel_layouts=stereo[n];[2:a][3:a][4:a]amix=inputs=3,volume=0.5,"
       "aformat=channel_layouts=stereo,tremolo=f=0.5:d=0.6[c];"
       "[0:a][n][c]amix=inputs=3:duration=shortest:normalize=0,alimiter=limit=0.9[a]",
       "-map", "[a]", "-t", str(seconds), "-ar", "48000", "-ac", "2", tmp)
    os.replace(tmp, out)
    return out


def clip(seconds, size="1920x1080", video_kbps=11000, name=None):
    """An MP4: H.264 `size` at `video_kbps` + AAC-LC 160k stereo of programme sound, cached."""
    name = name or f"clip-{seconds}s-{size.split('x')[1]}p.mp4"
    out = os.path.join(CACHE, name)
    if os.path.exists(out):
        return out
    audio = speech(seconds)
    tmp = out + ".part.mp4"
    sh("ffmpeg", "-nostdin", "-y", "-v", "error",
       "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration={seconds}",
       "-i", audio, "-map", "0:v", "-map", "1:a",
       "-c:v", "libx264", "-preset", "ultrafast", "-b:v", f"{video_kbps}k",
       "-maxrate", f"{video_kbps}k", "-bufsize", f"{video_kbps * 2}k",
       "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", "-shortest", tmp)
    os.replace(tmp, out)
    return out


def big(target_bytes):
    """A ~`target_bytes` MP4 (a high-bitrate 10 s segment looped by stream copy), cached."""
    out = os.path.join(CACHE, f"big-{target_bytes >> 20}MB.mp4")
    if os.path.exists(out):
        return out
    seg = clip(10, "1280x720", 200000, name="seg-10s-720p-hq.mp4")
    loops = max(0, target_bytes // os.path.getsize(seg))
    tmp = out + ".part.mp4"
    sh("ffmpeg", "-nostdin", "-y", "-v", "error", "-stream_loop", str(loops), "-i", seg,
       "-c", "copy", "-fs", str(target_bytes), tmp)
    os.replace(tmp, out)
    return out


if __name__ == "__main__":
    import sys
    for s in sys.argv[1:] or ["180"]:
        print(clip(int(s)), os.path.getsize(clip(int(s))))
