//! A mapping of front matter or site.yaml declared once, with [`record!`]:
//! from one list of fields come the struct, the field table (for unknown
//! keys and their Chinese labels), the positioned reader, a struct of the
//! positions of its values, and the writer `import` and `new` use.

use super::{Document, Field, Fields, scalar};

/// Where a value starts in its file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Position {
    pub line: usize,
    /// In characters.
    pub column: usize,
}

/// The positions of the values of one mapping of a document.
pub struct Positions<'d> {
    document: &'d Document<'d>,
    path: String,
}

impl<'d> Positions<'d> {
    pub fn of(document: &'d Document<'d>) -> Positions<'d> {
        Positions {
            document,
            path: String::new(),
        }
    }

    fn path_of(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    /// Where the value of the field `name` starts, if the field is written.
    pub fn value(&self, name: &str) -> Option<Position> {
        self.document.value_position(&self.path_of(name))
    }

    /// The positions inside each item of the list `name`.
    pub fn items(&self, name: &str) -> Vec<Positions<'d>> {
        let path = self.path_of(name);
        (0..self.document.items_of(&path))
            .map(|index| Positions {
                document: self.document,
                path: format!("{path}.{index}"),
            })
            .collect()
    }

    /// The positions inside the mapping `name`.
    pub fn within(&self, name: &str) -> Positions<'d> {
        Positions {
            document: self.document,
            path: self.path_of(name),
        }
    }
}

/// A value written as YAML that reads back as itself.
pub trait ToYaml {
    fn to_yaml(&self) -> String;
}

impl ToYaml for String {
    fn to_yaml(&self) -> String {
        scalar(self)
    }
}

impl ToYaml for bool {
    fn to_yaml(&self) -> String {
        self.to_string()
    }
}

impl ToYaml for u32 {
    fn to_yaml(&self) -> String {
        self.to_string()
    }
}

impl ToYaml for u64 {
    fn to_yaml(&self) -> String {
        self.to_string()
    }
}

/// A mapping declared with [`record!`].
pub trait Record: Sized {
    /// The positions of its values: a field per field, a nested struct per section.
    type At: Clone + Default + std::fmt::Debug;
    /// Its fields, in the order they are written.
    const FIELDS: &'static [Field];
    /// Reads every field, reporting each problem; `None` when a required
    /// field is missing or unreadable.
    fn read(fields: &mut Fields) -> Option<Self>;
    /// Where its values are.
    fn at(positions: &Positions) -> Self::At;
    /// Writes the fields that differ from what an absent field reads as,
    /// one `name: value` line each, `indent` spaces in.
    fn write(&self, out: &mut String, indent: usize);
}

/// `name: value` at `indent`.
pub fn write_line(out: &mut String, indent: usize, name: &str, value: &impl ToYaml) {
    out.push_str(&" ".repeat(indent));
    out.push_str(name);
    out.push_str(": ");
    out.push_str(&value.to_yaml());
    out.push('\n');
}

/// A list of records, the type of a `list` field.
pub trait Listed {
    type Item: Record;
    type At;
}

impl<R: Record> Listed for Vec<R> {
    type Item = R;
    type At = R::At;
}

/// A list: `name:` and an item per record below it (`- field: value`),
/// unless it is empty.
pub fn write_list<R: Record>(out: &mut String, indent: usize, name: &str, items: &[R]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&" ".repeat(indent));
    out.push_str(name);
    out.push_str(":\n");
    for item in items {
        let mut fields = String::new();
        item.write(&mut fields, indent + 4);
        out.push_str(&" ".repeat(indent + 2));
        out.push_str("- ");
        // The item's first field goes on its `- ` line.
        match fields.get(indent + 4..) {
            Some(first_on) if !first_on.is_empty() => out.push_str(first_on),
            _ => out.push_str("{}\n"),
        }
    }
}

/// A section: `name:` and its fields below it, unless it holds nothing.
pub fn write_section<R: Record + Default + PartialEq>(
    out: &mut String,
    indent: usize,
    name: &str,
    value: &R,
) {
    if *value == R::default() {
        return;
    }
    out.push_str(&" ".repeat(indent));
    out.push_str(name);
    out.push_str(":\n");
    value.write(out, indent + 2);
}

/// Declares a record: a struct whose fields are each read as one of
///
/// - `required("标签")`: must be present and not empty;
/// - `optional("标签")`: an `Option`, `None` when absent or empty;
/// - `default("标签")`: the type's default when absent;
/// - `or("标签", value)`: `value` when absent;
/// - `section("标签")`: a nested record, its default when absent;
/// - `list("标签")`: a `Vec` of records (`- field: value` items), empty
///   when absent;
///
/// and, after `also`, fields that are not read (set by the caller after
/// reading; their defaults until then). The positions struct named after
/// `at` has an `Option<Position>` per field and the positions struct of
/// each section.
macro_rules! record {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident at $at:ident {
            $(
                $(#[$field_attr:meta])*
                $field:ident : $ty:ty = $kind:ident ( $label:literal $(, $default:expr)? )
            ),* $(,)?
        }
        $(also {
            $(
                $(#[$also_attr:meta])*
                $also_vis:vis $also:ident : $also_ty:ty
            ),* $(,)?
        })?
    ) => {
        $(#[$attr])*
        $vis struct $name {
            $(
                $(#[$field_attr])*
                pub $field: $ty,
            )*
            $($(
                $(#[$also_attr])*
                $also_vis $also: $also_ty,
            )*)?
        }

        #[doc = concat!("Where the values of a [`", stringify!($name), "`] are written.")]
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis struct $at {
            $(pub $field: $crate::yaml::record!(@at_type $kind $ty),)*
        }

        impl $crate::yaml::Record for $name {
            type At = $at;

            const FIELDS: &'static [$crate::yaml::Field] =
                &[$($crate::yaml::field(stringify!($field), $label),)*];

            fn read(fields: &mut $crate::yaml::Fields) -> Option<Self> {
                $(
                    let $field = $crate::yaml::record!(@read $kind fields $field $ty $(, $default)?);
                )*
                Some($name {
                    $($field: $crate::yaml::record!(@take $kind $field),)*
                    $($($also: Default::default(),)*)?
                })
            }

            fn at(positions: &$crate::yaml::Positions) -> $at {
                $at {
                    $($field: $crate::yaml::record!(@at $kind positions $field $ty),)*
                }
            }

            fn write(&self, out: &mut String, indent: usize) {
                $(
                    $crate::yaml::record!(@write $kind out indent $field $ty, self.$field $(, $default)?);
                )*
            }
        }
    };

    (@at_type section $ty:ty) => { <$ty as $crate::yaml::Record>::At };
    (@at_type list $ty:ty) => { Vec<<$ty as $crate::yaml::Listed>::At> };
    (@at_type $kind:ident $ty:ty) => { Option<$crate::yaml::Position> };

    (@read required $fields:ident $field:ident $ty:ty) => {
        $fields.required::<$ty>(stringify!($field))
    };
    (@read optional $fields:ident $field:ident $ty:ty) => {
        $fields.optional(stringify!($field))
    };
    (@read default $fields:ident $field:ident $ty:ty) => {
        $fields.optional::<$ty>(stringify!($field)).unwrap_or_default()
    };
    (@read or $fields:ident $field:ident $ty:ty, $default:expr) => {
        $fields.optional::<$ty>(stringify!($field)).unwrap_or_else(|| $default.into())
    };
    (@read section $fields:ident $field:ident $ty:ty) => {
        $fields
            .section(
                stringify!($field),
                <$ty as $crate::yaml::Record>::FIELDS,
                <$ty as $crate::yaml::Record>::read,
            )
            .flatten()
            .unwrap_or_default()
    };

    (@read list $fields:ident $field:ident $ty:ty) => {
        $fields
            .list(
                stringify!($field),
                <<$ty as $crate::yaml::Listed>::Item as $crate::yaml::Record>::FIELDS,
                <<$ty as $crate::yaml::Listed>::Item as $crate::yaml::Record>::read,
            )
            .unwrap_or_default()
    };

    (@take required $field:ident) => { $field? };
    (@take $kind:ident $field:ident) => { $field };

    (@at section $positions:ident $field:ident $ty:ty) => {
        <$ty as $crate::yaml::Record>::at(&$positions.within(stringify!($field)))
    };
    (@at list $positions:ident $field:ident $ty:ty) => {
        $positions
            .items(stringify!($field))
            .iter()
            .map(<<$ty as $crate::yaml::Listed>::Item as $crate::yaml::Record>::at)
            .collect()
    };
    (@at $kind:ident $positions:ident $field:ident $ty:ty) => {
        $positions.value(stringify!($field))
    };

    (@write required $out:ident $indent:ident $field:ident $ty:ty, $value:expr) => {
        $crate::yaml::write_line($out, $indent, stringify!($field), &$value)
    };
    (@write optional $out:ident $indent:ident $field:ident $ty:ty, $value:expr) => {
        if let Some(value) = &$value {
            $crate::yaml::write_line($out, $indent, stringify!($field), value)
        }
    };
    (@write default $out:ident $indent:ident $field:ident $ty:ty, $value:expr) => {
        if $value != <$ty>::default() {
            $crate::yaml::write_line($out, $indent, stringify!($field), &$value)
        }
    };
    (@write or $out:ident $indent:ident $field:ident $ty:ty, $value:expr, $default:expr) => {
        if $value != $default {
            $crate::yaml::write_line($out, $indent, stringify!($field), &$value)
        }
    };
    (@write section $out:ident $indent:ident $field:ident $ty:ty, $value:expr) => {
        $crate::yaml::write_section($out, $indent, stringify!($field), &$value)
    };
    (@write list $out:ident $indent:ident $field:ident $ty:ty, $value:expr) => {
        $crate::yaml::write_list($out, $indent, stringify!($field), &$value)
    };
}

pub(crate) use record;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::Located;
    use crate::yaml::YamlErrorKind;

    record! {
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        struct Contact at ContactAt {
            phone: Option<String> = optional("电话"),
        }
    }

    record! {
        #[derive(Debug, Clone, PartialEq, Eq)]
        struct Sample at SampleAt {
            title: String = required("标题"),
            note: Option<String> = optional("备注"),
            hidden: bool = default("隐藏"),
            language: String = or("语言", "zh-CN"),
            count: u32 = or("数量", 3_u32),
            contact: Contact = section("联系方式"),
        }
        also {
            extra: usize,
        }
    }

    record! {
        #[derive(Debug, Clone, PartialEq, Eq)]
        struct Step at StepAt {
            day: String = required("日期"),
            note: Option<String> = optional("说明"),
        }
    }

    record! {
        #[derive(Debug, Clone, PartialEq, Eq)]
        struct Steps at StepsAt {
            title: String = required("标题"),
            steps: Vec<Step> = list("进展"),
        }
    }

    fn read_steps(yaml: &str) -> (Option<Steps>, StepsAt, Vec<Located<YamlErrorKind>>) {
        let document = Document::parse(Path::new("x.yaml"), yaml, yaml, 1).expect("parses");
        let mut errors = Vec::new();
        let mut fields = document.fields(Steps::FIELDS, &mut errors);
        let steps = Steps::read(&mut fields);
        fields.finish();
        let at = Steps::at(&Positions::of(&document));
        (steps, at, errors)
    }

    #[test]
    fn a_list_of_records_is_read_with_the_positions_of_each_item() {
        let yaml = "title: 标题\nsteps:\n  - day: 一日\n    note: 开始\n  -   day: 二日\n  - {day: 三日, note: 完}\nnext: 1\n";
        let (steps, at, errors) = read_steps(yaml);
        assert_eq!(errors.len(), 1, "only `next` is unknown: {errors:?}");
        assert_eq!(errors[0].at.line, 7);
        let steps = steps.expect("read").steps;
        let days: Vec<&str> = steps.iter().map(|step| step.day.as_str()).collect();
        assert_eq!(days, ["一日", "二日", "三日"]);
        assert_eq!(steps[2].note.as_deref(), Some("完"));
        assert_eq!(at.steps.len(), 3);
        assert_eq!(
            at.steps[0].day,
            Some(Position {
                line: 3,
                column: 10
            })
        );
        assert_eq!(
            at.steps[0].note,
            Some(Position {
                line: 4,
                column: 11
            })
        );
        assert_eq!(
            at.steps[1].day,
            Some(Position {
                line: 5,
                column: 12
            })
        );
        assert_eq!(
            at.steps[2].note,
            Some(Position {
                line: 6,
                column: 21
            })
        );
    }

    #[test]
    fn a_list_that_is_not_one_or_an_item_that_is_wrong_is_reported_where_it_is() {
        let (steps, _, errors) = read_steps("title: 标题\nsteps: 一日\n");
        assert_eq!(steps.map(|s| s.steps), Some(Vec::new()));
        assert!(
            matches!(&errors[..], [e] if e.at.line == 2
                && matches!(&e.kind, YamlErrorKind::WrongType { field, .. } if field == "steps")),
            "{errors:?}"
        );
        let (_, _, errors) =
            read_steps("title: 标题\nsteps:\n  - day: 一日\n  - note: 无日期\n    dya: 二日\n");
        let lines: Vec<_> = errors.iter().map(|e| (e.at.line, e.kind.clone())).collect();
        assert!(
            lines.iter().any(|(line, kind)| *line == 4
                && matches!(kind, YamlErrorKind::MissingField { field, .. } if field == "steps.1.day")),
            "a missing field is told at its item: {lines:?}"
        );
        assert!(
            lines.iter().any(|(line, kind)| *line == 5
                && matches!(kind, YamlErrorKind::UnknownField { field, .. } if field == "dya")),
            "an unknown key is told where it is: {lines:?}"
        );
    }

    #[test]
    fn a_list_is_written_as_items_that_read_back() {
        let steps = Steps {
            title: "标题".to_owned(),
            steps: vec![
                Step {
                    day: "一日".to_owned(),
                    note: Some("说明: 含冒号".to_owned()),
                },
                Step {
                    day: "二日".to_owned(),
                    note: None,
                },
            ],
        };
        let mut yaml = String::new();
        steps.write(&mut yaml, 0);
        assert!(yaml.contains("steps:\n  - day: 一日\n    note: "), "{yaml}");
        let (read, _, errors) = read_steps(&yaml);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(read, Some(steps));
    }

    fn read(yaml: &str) -> (Option<Sample>, SampleAt, Vec<YamlErrorKind>) {
        let document = Document::parse(Path::new("x.yaml"), yaml, yaml, 1).expect("parses");
        let mut errors = Vec::new();
        let mut fields = document.fields(Sample::FIELDS, &mut errors);
        let sample = Sample::read(&mut fields);
        fields.finish();
        let at = Sample::at(&Positions::of(&document));
        (sample, at, errors.into_iter().map(|e| e.kind).collect())
    }

    #[test]
    fn the_field_table_is_the_declaration() {
        let names: Vec<(&str, &str)> = Sample::FIELDS.iter().map(|f| (f.name, f.label)).collect();
        assert_eq!(
            names,
            [
                ("title", "标题"),
                ("note", "备注"),
                ("hidden", "隐藏"),
                ("language", "语言"),
                ("count", "数量"),
                ("contact", "联系方式"),
            ]
        );
    }

    #[test]
    fn values_are_read_with_their_defaults_and_positions() {
        let (sample, at, errors) =
            read("title: 标题\ncontact:\n  phone: 0000-1234567\nhidden: true\n");
        assert!(errors.is_empty(), "{errors:?}");
        let sample = sample.expect("read");
        assert_eq!(sample.language, "zh-CN");
        assert_eq!(sample.count, 3);
        assert!(sample.hidden && sample.note.is_none() && sample.extra == 0);
        assert_eq!(sample.contact.phone.as_deref(), Some("0000-1234567"));
        assert_eq!(at.title, Some(Position { line: 1, column: 8 }));
        assert_eq!(
            at.contact.phone,
            Some(Position {
                line: 3,
                column: 10
            })
        );
        assert_eq!(at.hidden, Some(Position { line: 4, column: 9 }));
        assert_eq!(at.note, None, "a field not written has no position");
    }

    #[test]
    fn a_missing_required_field_reads_nothing_and_says_which() {
        let (sample, _, errors) = read("note: 备注\ncount: 多\n");
        assert_eq!(sample, None);
        assert!(
            errors.iter().any(
                |e| matches!(e, YamlErrorKind::MissingField { field, .. } if field == "title")
            )
        );
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, YamlErrorKind::WrongType { field, .. } if field == "count"))
        );
    }

    #[test]
    fn what_is_written_reads_back_and_defaults_are_left_out() {
        let sample = Sample {
            title: "标题: 含冒号".to_owned(),
            note: Some("true".to_owned()),
            hidden: false,
            language: "zh-CN".to_owned(),
            count: 7,
            contact: Contact {
                phone: Some("0000-1234567".to_owned()),
            },
            extra: 0,
        };
        let mut yaml = String::new();
        sample.write(&mut yaml, 0);
        assert!(
            !yaml.contains("hidden") && !yaml.contains("language"),
            "{yaml}"
        );
        assert!(yaml.contains("contact:\n  phone: 0000-1234567\n"), "{yaml}");
        let (read, _, errors) = read(&yaml);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(read, Some(sample));
    }
}
