//! Channel mixing with the matrices ffmpeg's swresample uses for `-ac` on float samples (what
//! the server's MP3, Opus and AAC encoders take), measured with ffmpeg 7 on constant
//! per-channel levels: 5.1 → stereo L = FL + 0.7071·FC + 0.7071·BL (LFE dropped, no
//! normalisation); stereo → mono 0.7071·(L + R); mono → stereo 0.7071 on each side;
//! 5.1 → mono 0.7071·(FL + FR) + FC + 0.5·(BL + BR).

use crate::EngineError;

const C30: f32 = std::f32::consts::FRAC_1_SQRT_2;

/// A fixed channel matrix.
#[derive(Debug, Clone)]
pub struct Mixer {
    inputs: usize,
    /// One row per output channel, one weight per input channel.
    rows: Vec<Vec<f32>>,
}

impl Mixer {
    /// A mixer from `from` channels (WAV order) to `to`; `None` when they are the same.
    pub fn new(from: u16, to: u16) -> Result<Option<Self>, EngineError> {
        if from == to {
            return Ok(None);
        }
        let rows: Vec<Vec<f32>> = match (from, to) {
            (1, 2) => vec![vec![C30], vec![C30]],
            (2, 1) => vec![vec![C30, C30]],
            // FL FR FC LFE BL BR
            (6, 2) => vec![
                vec![1.0, 0.0, C30, 0.0, C30, 0.0],
                vec![0.0, 1.0, C30, 0.0, 0.0, C30],
            ],
            (6, 1) => vec![vec![C30, C30, 1.0, 0.0, 0.5, 0.5]],
            // FL FR FC LFE BL BR SL SR
            (8, 2) => vec![
                vec![1.0, 0.0, C30, 0.0, C30, 0.0, C30, 0.0],
                vec![0.0, 1.0, C30, 0.0, 0.0, C30, 0.0, C30],
            ],
            // Other layouts into mono or stereo: each input channel once, spread evenly.
            (n, 1) if n > 0 => vec![vec![1.0 / f32::from(n); usize::from(n)]],
            (n, 2) if n > 2 => {
                let side = |first: usize| {
                    (0..usize::from(n))
                        .map(|i| match i {
                            i if i == first => 1.0,
                            0 | 1 => 0.0,
                            _ => C30,
                        })
                        .collect()
                };
                vec![side(0), side(1)]
            }
            _ => {
                return Err(EngineError::Unsupported(format!(
                    "mixing {from} channels into {to} is done by the server"
                )))
            }
        };
        Ok(Some(Self {
            inputs: usize::from(from),
            rows,
        }))
    }

    /// Mixes interleaved `input` into `out` (replacing its contents).
    pub fn mix(&self, input: &[f32], out: &mut Vec<f32>) {
        out.clear();
        for frame in input.chunks_exact(self.inputs) {
            for row in &self.rows {
                out.push(row.iter().zip(frame).map(|(w, s)| w * s).sum());
            }
        }
    }
}
