//! Hit regions: the shape of every mark drawn, with what its tooltip says
//! and the category it stands for, and the lookup of the mark under the
//! pointer.

/// The shape of a drawn mark, in backend pixels.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
    },
    Circle {
        x: f64,
        y: f64,
        r: f64,
    },
    Wedge {
        x: f64,
        y: f64,
        r0: f64,
        r1: f64,
        a0: f64,
        a1: f64,
    },
}

/// A mark the pointer can be over.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub shape: Shape,
    /// What the tooltip says.
    pub label: String,
    pub value: String,
    /// The dimension value the mark stands for, for cross-filtering.
    pub category: Option<String>,
}

impl Hit {
    fn contains(&self, px: f64, py: f64) -> bool {
        match self.shape {
            Shape::Rect { x0, y0, x1, y1 } => {
                px >= x0.min(x1) && px <= x0.max(x1) && py >= y0.min(y1) && py <= y0.max(y1)
            }
            Shape::Circle { x, y, r } => (px - x).powi(2) + (py - y).powi(2) <= (r + 3.0).powi(2),
            Shape::Wedge {
                x,
                y,
                r0,
                r1,
                a0,
                a1,
            } => {
                let d = ((px - x).powi(2) + (py - y).powi(2)).sqrt();
                let mut a = (py - y).atan2(px - x) + std::f64::consts::FRAC_PI_2;
                if a < 0.0 {
                    a += std::f64::consts::TAU;
                }
                d >= r0 && d <= r1 && a >= a0 && a <= a1
            }
        }
    }
}

/// The topmost mark at a point.
pub fn hit_at(hits: &[Hit], x: f64, y: f64) -> Option<&Hit> {
    hits.iter().rev().find(|h| h.contains(x, y))
}
