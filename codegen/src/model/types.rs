//! Schema -> type: the Rust-agnostic type of the value a schema (or several at once)
//! describes: a primitive, a list, a map, or a named type queued for definition.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::resolve::{JsonType, SchemaId};

use super::builder::ModelBuilder;
use super::flat::{type_list, Flat};
use super::ir::TypeRef;
use super::names::{Class, NameHint, Pending};

impl ModelBuilder<'_> {
    /// The type for a value described by all of `contributions` at once (the parts of an
    /// `allOf` that each say something about one property), and whether it can be `null`.
    pub(super) fn resolve_type(
        &mut self,
        contributions: &[SchemaId],
        hint: &NameHint,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        if let Some(carried) = self.carried_type(contributions, hint) {
            return Ok((carried, false));
        }
        let key = self.flat.canonical_all(contributions);
        let written = self.graph.location(contributions[0]).clone();
        // Named types are defined later, from the queue; only a list, a map or a lone
        // alternative is typed on the spot, and one that contains itself would never end.
        if let Some(start) = self.in_progress.iter().position(|(open, _)| *open == key) {
            let mut chain: Vec<String> = self.in_progress[start..]
                .iter()
                .map(|(_, at)| at.to_string())
                .collect();
            chain.push(written.to_string());
            let first = self.in_progress[start].1.clone();
            return Err(Diagnostic::new(
                written,
                format!(
                    "a list or map that contains itself with no object in between has no Rust type: {}",
                    chain.join(" -> ")
                ),
            )
            .with_related(first, "the schema that contains itself"));
        }
        self.in_progress.push((key, written));
        let resolved = self.resolve_type_uncached(contributions, hint);
        self.in_progress.pop();
        let resolved = resolved?;
        for &id in contributions {
            for id in [id, self.flat.canonical(id)] {
                self.model
                    .schema_types
                    .entry(self.graph.location(id).clone())
                    .or_insert_with(|| resolved.clone());
            }
        }
        Ok(resolved)
    }

    fn resolve_type_uncached(
        &mut self,
        contributions: &[SchemaId],
        hint: &NameHint,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let canonical = self.flat.canonical_all(contributions);
        let mut flats = Vec::new();
        for &id in &canonical {
            flats.push(self.flat.flatten(id)?);
        }
        let mut merged = Flat::default();
        for flat in &flats {
            merged.merge(flat)?;
        }
        // The type key: the contributions that add shape, less those another already includes.
        let shaped: Vec<usize> = (0..canonical.len())
            .filter(|&i| !flats[i].is_trivial())
            .collect();
        let mut key: Vec<SchemaId> = shaped
            .iter()
            .filter(|&&i| {
                !shaped
                    .iter()
                    .any(|&j| j != i && flats[j].sources.contains(&canonical[i]))
            })
            .map(|&i| canonical[i])
            .collect();
        key.sort_unstable();
        if key.is_empty() {
            key.push(canonical[0]);
        }

        let types = merged.types.as_ref().map(|(types, _)| types.clone());
        let mut nullable = types.as_ref().is_some_and(|t| t.contains(&JsonType::Null));
        let types: Option<BTreeSet<JsonType>> =
            types.map(|t| t.into_iter().filter(|ty| *ty != JsonType::Null).collect());
        self.check_shape(&merged, types.as_ref())?;

        if merged.enum_values.is_some() && !merged.alternatives.is_empty() {
            self.check_alternatives_alone(&merged)?;
        }
        if let Some((values, at)) = &merged.enum_values {
            nullable |= values.iter().any(Value::is_null);
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if values.is_empty() && !nullable {
                return Err(Diagnostic::new(
                    at.clone(),
                    "an empty `enum` admits no value",
                ));
            }
            if values.is_empty() {
                // `enum: [null]`: only `null`, which the field's `Option` says.
                return Ok((TypeRef::Any, true));
            }
            if values.iter().all(|v| v.is_string()) {
                let name = self.names.named(
                    Class::Enum,
                    key.clone(),
                    hint.clone(),
                    Pending::StringEnum(key),
                );
                return Ok((TypeRef::Named(name), nullable));
            }
            if !values.iter().all(|v| v.is_number()) {
                let mut kinds: Vec<&str> = values.iter().map(|v| json_kind_plural(v)).collect();
                kinds.sort_unstable();
                kinds.dedup();
                return Err(Diagnostic::new(
                    at.clone(),
                    format!(
                        "an `enum` of {} is not supported: only an `enum` of strings or of numbers is",
                        kinds.join(" and ")
                    ),
                ));
            }
            // Numeric enums keep their numeric type; the values are documented, not enforced.
            if types.is_none() {
                let integers = values.iter().all(|v| v.is_i64() || v.is_u64());
                let ty = if integers {
                    TypeRef::Integer
                } else {
                    TypeRef::Number
                };
                return Ok((ty, nullable));
            }
        }

        if !merged.alternatives.is_empty() {
            let mut variants = Vec::new();
            let mut constraints_only = true;
            for &alternative in &merged.alternatives {
                let flat = self.flat.flatten(alternative)?;
                let alternative_types = flat.types.as_ref().map(|(t, _)| t);
                constraints_only &= alternative_types.is_none() && flat.is_trivial();
                let only_null = flat.is_trivial()
                    && alternative_types.is_some_and(|t| t.iter().all(|ty| *ty == JsonType::Null));
                nullable |= alternative_types.is_some_and(|t| t.contains(&JsonType::Null));
                if !only_null {
                    variants.push(alternative);
                }
            }
            // Alternatives that only say which properties are required (`oneOf: [{required:
            // [a]}, {required: [b]}]`) describe no shape: the schema itself has it.
            if !constraints_only {
                self.check_alternatives_alone(&merged)?;
                if let [only] = variants.as_slice() {
                    let (ty, inner_nullable) = self.resolve_type(&[*only], hint)?;
                    return Ok((ty, nullable || inner_nullable));
                }
                let name = self.names.named(
                    Class::Union,
                    key.clone(),
                    hint.clone(),
                    Pending::Union(variants),
                );
                return Ok((TypeRef::Named(name), nullable));
            }
        }

        let is = |ty: JsonType| {
            types
                .as_ref()
                .is_some_and(|t| t.len() == 1 && t.contains(&ty))
        };
        let object_like = merged.object_at.is_some();
        let ty = match &types {
            _ if is(JsonType::Object) || (types.is_none() && object_like) => {
                self.object_type(&merged, &key, hint)?
            }
            _ if is(JsonType::Array) || (types.is_none() && !merged.items.is_empty()) => {
                self.array_type(&merged, hint)?
            }
            _ if is(JsonType::String) => match &merged.format {
                Some(format) => TypeRef::Format(format.clone()),
                None => TypeRef::String,
            },
            _ if is(JsonType::Integer) => TypeRef::Integer,
            _ if is(JsonType::Number) => TypeRef::Number,
            _ if is(JsonType::Boolean) => TypeRef::Boolean,
            None => {
                if let (Some(format), Some(at)) = (&merged.format, &merged.format_at) {
                    self.note(format!(
                        "{at} has `format: {format}` but no `type: string`, so it admits any JSON value: typed as `serde_json::Value`"
                    ));
                }
                TypeRef::Any
            }
            // Only `null`: the field's `Option` says everything.
            Some(several) if several.is_empty() => TypeRef::Any,
            Some(several) if several == &BTreeSet::from([JsonType::Integer, JsonType::Number]) => {
                TypeRef::Number
            }
            Some(_) => {
                let name = self.names.named(
                    Class::Union,
                    key.clone(),
                    hint.clone(),
                    Pending::TypeList(key),
                );
                TypeRef::Named(name)
            }
        };
        Ok((ty, nullable))
    }

    /// Keywords that can never apply to the JSON types a schema admits (`properties` on a
    /// string) are a mistake the generated type would silently drop: an error naming both.
    fn check_shape(
        &self,
        merged: &Flat,
        types: Option<&BTreeSet<JsonType>>,
    ) -> Result<(), Diagnostic> {
        let types_at = merged.types.as_ref().map(|(_, at)| at);
        for (shape_at, needs, keywords) in [
            (
                &merged.object_at,
                JsonType::Object,
                "object keywords such as `properties`",
            ),
            (&merged.items_at, JsonType::Array, "`items`"),
        ] {
            let (Some(shape_at), Some(types), Some(types_at)) = (shape_at, types, types_at) else {
                continue;
            };
            if !types.contains(&needs) {
                return Err(Diagnostic::new(
                    shape_at.clone(),
                    format!(
                        "{keywords} on a schema whose `type` is {}: they could never apply",
                        if types.is_empty() {
                            "`null`".to_owned()
                        } else {
                            type_list(types)
                        }
                    ),
                )
                .with_related(types_at.clone(), "the `type`"));
            }
        }
        if let (None, Some(object_at), Some(items_at)) =
            (types, &merged.object_at, &merged.items_at)
        {
            return Err(Diagnostic::new(
                object_at.clone(),
                "a schema with both object keywords and `items` but no `type` is not supported: give it `type: [object, array]`",
            )
            .with_related(items_at.clone(), "the `items`"));
        }
        Ok(())
    }

    /// `oneOf`/`anyOf` beside `properties`, `items` or `enum` of the schema itself: the
    /// generated union would silently drop them.
    fn check_alternatives_alone(&self, merged: &Flat) -> Result<(), Diagnostic> {
        let Some(alternatives_at) = &merged.alternatives_at else {
            return Ok(());
        };
        let beside = merged
            .object_at
            .as_ref()
            .or(merged.items_at.as_ref())
            .or(merged.enum_values.as_ref().map(|(_, at)| at));
        match beside {
            Some(beside) => {
                let keyword = alternatives_at
                    .pointer
                    .rsplit('/')
                    .next()
                    .unwrap_or("oneOf");
                let other = beside.pointer.rsplit('/').next().unwrap_or("properties");
                Err(Diagnostic::new(
                    alternatives_at.clone(),
                    format!(
                        "`{keyword}` beside `{other}` is not supported: the generated type could not have both; move `{other}` into each alternative"
                    ),
                )
                .with_related(beside.clone(), format!("the `{other}`")))
            }
            None => Ok(()),
        }
    }

    /// The type of an object: a struct when it has properties, a map when only its other
    /// properties' values are described, else any JSON object.
    pub(super) fn object_type(
        &mut self,
        merged: &Flat,
        key: &[SchemaId],
        hint: &NameHint,
    ) -> Result<TypeRef, Diagnostic> {
        if !merged.properties.is_empty() {
            return Ok(TypeRef::Named(self.names.named(
                Class::Struct,
                key.to_vec(),
                hint.clone(),
                Pending::Struct(key.to_vec()),
            )));
        }
        if merged.additional.is_empty() && merged.pattern.is_empty() {
            return Ok(TypeRef::Object);
        }
        let values: Vec<SchemaId> = merged.additional_values();
        // Keys have a format when every pattern says the same one and nothing else is allowed.
        let formats: BTreeSet<Option<String>> = merged
            .pattern
            .iter()
            .map(|&id| self.graph.schema(id).key_format.clone())
            .collect();
        let key_format = match (merged.additional.is_empty(), formats.len()) {
            (true, 1) => formats.into_iter().next().flatten(),
            _ => None,
        };
        Ok(TypeRef::Map(
            key_format,
            Box::new(self.map_value_type(&values, hint)?),
        ))
    }

    /// The type of a list: of its items' type (`Option` of it when they may be `null`).
    pub(super) fn array_type(
        &mut self,
        merged: &Flat,
        hint: &NameHint,
    ) -> Result<TypeRef, Diagnostic> {
        if merged.items.is_empty() {
            // `type: array` and nothing more: items of any kind.
            return Ok(TypeRef::Array(Box::new(TypeRef::Any)));
        }
        let item_hint = NameHint {
            preferred: None,
            context: hint.context.clone(),
        };
        let (item, item_nullable) = self.resolve_type(&merged.items, &item_hint)?;
        Ok(TypeRef::Array(Box::new(or_null(item, item_nullable))))
    }

    /// One value type for the values of a map; when its schemas disagree (several
    /// `patternProperties`, say), an untagged union of them.
    pub(super) fn map_value_type(
        &mut self,
        values: &[SchemaId],
        hint: &NameHint,
    ) -> Result<TypeRef, Diagnostic> {
        let value_hint = NameHint {
            preferred: None,
            context: hint.context.suffix("Value"),
        };
        let mut types = Vec::new();
        let mut any_nullable = false;
        for &value in values {
            let (ty, nullable) = self.resolve_type(&[value], &value_hint)?;
            any_nullable |= nullable;
            if !types.contains(&ty) {
                types.push(ty);
            }
        }
        let ty = match types.as_slice() {
            [] => TypeRef::Any,
            [only] => only.clone(),
            _ => {
                let mut key: Vec<SchemaId> =
                    values.iter().map(|&v| self.flat.canonical(v)).collect();
                key.sort_unstable();
                key.dedup();
                let name = self.names.named(
                    Class::MapValues,
                    key,
                    value_hint,
                    Pending::Union(values.to_vec()),
                );
                TypeRef::Named(name)
            }
        };
        Ok(or_null(ty, any_nullable))
    }
}

/// `ty`, or `null` too: `Option<ty>` (`serde_json::Value` admits `null` already).
fn or_null(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && ty != TypeRef::Any {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// What a JSON value is, in the plural: for a message about an `enum` of them.
fn json_kind_plural(value: &Value) -> &'static str {
    match value {
        Value::Null => "nulls",
        Value::Bool(_) => "booleans",
        Value::Number(_) => "numbers",
        Value::String(_) => "strings",
        Value::Array(_) => "lists",
        Value::Object(_) => "objects",
    }
}
