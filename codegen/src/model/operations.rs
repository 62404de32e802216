//! API operations: the request and responses of each, every parameter, body and response
//! schema typed; inline schemas named for their operation, shared ones for themselves.

use std::collections::{BTreeMap, HashSet};

use crate::api::{Content, Operation, Parameter};
use crate::diagnostics::{Diagnostic, Location};
use crate::naming;

use super::builder::ModelBuilder;
use super::ir::{BodyDef, Model, OperationDef, ParameterDef, Payload, ResponseDef, TypeRef};
use super::names::{NameHint, Stem};

impl ModelBuilder<'_> {
    /// The request and responses of `op`: each parameter, body and response schema resolved to a
    /// type; schemas written inline are named for the operation, shared ones for themselves.
    pub(super) fn operation(
        &mut self,
        op: &Operation,
        index: usize,
        request_name: String,
        response_name: String,
    ) -> Result<OperationDef, Diagnostic> {
        let base = Stem::of_operation(index);
        let mut fields = HashSet::new();
        if op.body.is_some() {
            fields.insert("body".to_owned());
        }
        let parameters = self.parameters(&op.parameters, &base, &mut fields)?;
        let body = match &op.body {
            Some(body) => {
                let name = base.suffix("RequestBody");
                let payload = self.payload(&body.content, &name)?;
                Some(BodyDef {
                    required: body.required,
                    payload,
                    docs: body.docs.clone(),
                })
            }
            None => None,
        };
        let mut responses = Vec::new();
        let mut variants = HashSet::new();
        let first_success = op.responses.iter().position(|r| r.status.starts_with('2'));
        for (index, response) in op.responses.iter().enumerate() {
            let reason = naming::status_name(&response.status);
            let name = if Some(index) == first_success {
                base.suffix("ResponseBody")
            } else {
                base.suffix(&format!("{reason}Body"))
            };
            let payload = match &response.content {
                Some(content) => Some(self.payload(content, &name)?),
                None => Self::error_payload(&response.status),
            };
            let mut fields = HashSet::from(["body".to_owned()]);
            let headers = self.parameters(&response.headers, &name, &mut fields)?;
            responses.push(ResponseDef {
                status: response.status.clone(),
                variant: naming::unique(reason, &mut variants),
                payload,
                headers,
                docs: response.docs.clone(),
            });
        }
        Ok(OperationDef {
            api: op.api.clone(),
            method: op.method.clone(),
            path: op.path.clone(),
            // The spec tells two operations of one path and method apart by a space after the
            // path key (`"/rooms/{roomId}/invite "` beside the 3PID invite): the key stays their
            // identity (`path`), the path a request is sent to is the trimmed one.
            full_path: format!("{}{}", op.base_path, op.path.trim()),
            operation_id: op.operation_id.clone(),
            source: op.location.clone(),
            docs: op.docs.clone(),
            request_name,
            response_name,
            security: op.security.clone(),
            security_optional: op.security_optional,
            rate_limited: op.rate_limited,
            parameters,
            body,
            responses,
            sends: None,
            same_endpoint: Vec::new(),
        })
    }

    /// Parameters (or headers) typed from their schemas, named for `base` where written inline.
    pub(super) fn parameters(
        &mut self,
        parameters: &[Parameter],
        base: &Stem,
        fields: &mut HashSet<String>,
    ) -> Result<Vec<ParameterDef>, Diagnostic> {
        let mut defs = Vec::new();
        for parameter in parameters {
            let context = base.suffix(&naming::type_name(&parameter.name));
            let (ty, _) = self.schema_at(&parameter.schema, None, &context)?;
            defs.push(ParameterDef {
                name: parameter.name.clone(),
                field: naming::unique(naming::field_name(&parameter.name), fields),
                place: parameter.place,
                required: parameter.required,
                ty,
                docs: parameter.docs.clone(),
            });
        }
        Ok(defs)
    }

    pub(super) fn payload(
        &mut self,
        content: &Content,
        name: &Stem,
    ) -> Result<Payload, Diagnostic> {
        Ok(match content {
            Content::Json(at) => {
                let (ty, nullable) = self.schema_at(at, Some(name), name)?;
                Payload::Json(ty, nullable)
            }
            Content::Bytes(media) => Payload::Bytes(media.clone()),
        })
    }

    /// The type of the schema written at `at`. A schema written there (not a `$ref` to a
    /// shared one) may take `preferred` as its name; a shared one is named for its own file.
    fn schema_at(
        &mut self,
        at: &Location,
        preferred: Option<&Stem>,
        context: &Stem,
    ) -> Result<(TypeRef, bool), Diagnostic> {
        let Some(id) = self.graph.id_of(at) else {
            return Err(Diagnostic::new(at.clone(), "no schema was read here"));
        };
        let target = self.flat.canonical(id);
        let target_at = self.graph.location(target).clone();
        let hint = if target_at.file == at.file {
            NameHint {
                preferred: preferred.cloned(),
                context: context.clone(),
            }
        } else {
            let stem = target_at
                .file
                .rsplit('/')
                .next()
                .unwrap_or(&target_at.file)
                .trim_end_matches(".yaml")
                .trim_end_matches(".json");
            NameHint {
                preferred: None,
                context: Stem::text(naming::type_name(stem)),
            }
        };
        self.resolve_type(&[id], &hint)
    }
}

/// Fills in [`OperationDef::same_endpoint`]: the operations of one API with the same method and
/// path, once their request structs have their final names.
pub(super) fn link_same_endpoints(model: &mut Model) {
    let mut endpoints: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for op in model.modules.values().flat_map(|module| &module.operations) {
        endpoints
            .entry((op.api.clone(), op.method.clone(), op.full_path.clone()))
            .or_default()
            .push(op.request_name.clone());
    }
    for op in model
        .modules
        .values_mut()
        .flat_map(|module| &mut module.operations)
    {
        let names = &endpoints[&(op.api.clone(), op.method.clone(), op.full_path.clone())];
        op.same_endpoint = names
            .iter()
            .filter(|name| **name != op.request_name)
            .cloned()
            .collect();
    }
}
