//! A SQL text built in pieces with its bound values, so placeholders (`$1`, `$2`…) are numbered
//! by the builder and never by hand. Values are always bound, never formatted into the text.

use sqlx::any::AnyArguments;
use sqlx::query::{QueryAs, QueryScalar};
use sqlx::Any;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// Never NULL (a NULL float is typed FLOAT4 by the Any driver: see [`super::float_param`]).
    Float(f64),
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

#[derive(Debug, Default, Clone)]
pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), values: Vec::new() }
    }

    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Binds `value` and returns its placeholder.
    pub fn arg(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    /// The number the next placeholder will have.
    pub fn next_index(&self) -> usize {
        self.values.len() + 1
    }

    /// Appends a fragment whose placeholders start at [`Sql::next_index`], with its values.
    pub fn push_with(&mut self, text: &str, values: Vec<String>) -> &mut Sql {
        self.text.push_str(text);
        self.values.extend(values.into_iter().map(Value::Text));
        self
    }

    /// Replaces the text, keeping the bound values (for a query that repeats placeholders of
    /// a fragment built earlier).
    pub fn replace_text(&mut self, text: &str) {
        self.text = text.to_string();
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn query_as<'q, T>(&'q self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        self.values.iter().fold(sqlx::query_as(&self.text), |q, v| match v {
            Value::Text(t) => q.bind(t.as_str()),
            Value::Int(i) => q.bind(*i),
            Value::Float(f) => q.bind(*f),
        })
    }

    pub fn query_scalar<'q, T>(&'q self) -> QueryScalar<'q, Any, T, AnyArguments<'q>>
    where
        (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        self.values.iter().fold(sqlx::query_scalar(&self.text), |q, v| match v {
            Value::Text(t) => q.bind(t.as_str()),
            Value::Int(i) => q.bind(*i),
            Value::Float(f) => q.bind(*f),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order_of_binding() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        let a = sql.arg("x");
        sql.push(&a).push(" AND b = ");
        let b = sql.arg(7);
        sql.push(&b);
        assert_eq!(sql.text(), "SELECT 1 WHERE a = $1 AND b = $2");
        assert_eq!(sql.next_index(), 3);
    }
}
