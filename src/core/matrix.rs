//! A minimal dense row-major matrix of `f64`, the numeric currency between preprocessing,
//! sampling and models. Missing values are `NaN`.

use serde::{Deserialize, Serialize};

use super::{Error, Result};

/// Dense row-major matrix. `data.len() == rows * cols` always holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// A matrix from row-major data; errors if the length is not `rows * cols`.
    pub fn new(rows: usize, cols: usize, data: Vec<f64>) -> Result<Self> {
        if data.len() != rows * cols {
            return Err(Error::ShapeMismatch {
                expected: rows * cols,
                got: data.len(),
            });
        }
        Ok(Matrix { rows, cols, data })
    }

    /// A `rows x cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// Builds a matrix from rows of equal length; errors on ragged input.
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Self> {
        let cols = rows.first().map_or(0, Vec::len);
        let mut data = Vec::with_capacity(rows.len() * cols);
        for r in rows {
            if r.len() != cols {
                return Err(Error::ShapeMismatch {
                    expected: cols,
                    got: r.len(),
                });
            }
            data.extend_from_slice(r);
        }
        Ok(Matrix {
            rows: rows.len(),
            cols,
            data,
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i` as a slice. Panics if `i >= rows` (an internal invariant, not user input).
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Mutable row `i`.
    pub fn row_mut(&mut self, i: usize) -> &mut [f64] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Element at row `i`, column `j`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    /// Sets the element at row `i`, column `j`.
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.cols + j] = v;
    }

    /// Iterator over rows.
    pub fn iter_rows(&self) -> impl Iterator<Item = &[f64]> {
        // `chunks_exact(0)` panics, so an empty-column matrix yields `rows` empty slices.
        (0..self.rows).map(move |i| self.row(i))
    }

    /// Column `j` copied into a vector.
    pub fn column(&self, j: usize) -> Vec<f64> {
        (0..self.rows).map(|i| self.get(i, j)).collect()
    }

    /// The rows at `indices`, in that order (indices may repeat).
    pub fn select_rows(&self, indices: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(indices.len() * self.cols);
        for &i in indices {
            data.extend_from_slice(self.row(i));
        }
        Matrix {
            rows: indices.len(),
            cols: self.cols,
            data,
        }
    }

    /// Keeps only the rows at `keep` (strictly increasing), in place: no second copy of the
    /// matrix. Panics if `keep` is not increasing or out of range (an internal invariant).
    pub fn retain_rows(&mut self, keep: &[usize]) {
        let c = self.cols;
        for (to, &from) in keep.iter().enumerate() {
            assert!(
                from >= to && from < self.rows,
                "retain_rows: indices must increase"
            );
            if from != to {
                self.data.copy_within(from * c..(from + 1) * c, to * c);
            }
        }
        self.rows = keep.len();
        self.data.truncate(self.rows * c);
        self.data.shrink_to_fit();
    }

    /// Appends a row; errors if its length differs from `cols` (unless the matrix is empty
    /// with zero columns, in which case the row fixes the width).
    pub fn push_row(&mut self, row: &[f64]) -> Result<()> {
        if self.rows == 0 && self.cols == 0 {
            self.cols = row.len();
        }
        if row.len() != self.cols {
            return Err(Error::ShapeMismatch {
                expected: self.cols,
                got: row.len(),
            });
        }
        self.data.extend_from_slice(row);
        self.rows += 1;
        Ok(())
    }

    /// The underlying row-major data.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_checks_and_access() {
        assert!(Matrix::new(2, 2, vec![1.0; 3]).is_err());
        let m = Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0]]).unwrap();
        assert_eq!(m.row(1), &[3.0, 4.0]);
        assert_eq!(m.column(0), vec![1.0, 3.0]);
        assert_eq!(
            m.select_rows(&[1, 1, 0]).as_slice(),
            &[3.0, 4.0, 3.0, 4.0, 1.0, 2.0]
        );
        assert!(Matrix::from_rows(&[vec![1.0], vec![1.0, 2.0]]).is_err());
        let mut e = Matrix::default();
        e.push_row(&[1.0, 2.0, 3.0]).unwrap();
        assert!(e.push_row(&[1.0]).is_err());
        assert_eq!((e.rows(), e.cols()), (1, 3));
    }

    #[test]
    fn retain_rows_compacts_in_place() {
        let rows: Vec<Vec<f64>> = (0..5).map(|i| vec![i as f64, -(i as f64)]).collect();
        let mut m = Matrix::from_rows(&rows).unwrap();
        let expected = m.select_rows(&[0, 2, 3]);
        m.retain_rows(&[0, 2, 3]);
        assert_eq!(m, expected);
        m.retain_rows(&[]);
        assert_eq!((m.rows(), m.cols()), (0, 2));
    }
}
