//! Personal data that must not be published by accident: resident ID
//! numbers, personal mobile numbers and bank card numbers, with the masked
//! form disclosure rules use.

/// One piece of personal data found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    /// Byte offset in the text.
    pub offset: usize,
    pub text: String,
    pub masked: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ResidentId,
    Mobile,
    BankCard,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::ResidentId => "居民身份证号码",
            Kind::Mobile => "个人手机号码",
            Kind::BankCard => "银行卡号",
        }
    }
}

/// Runs of digits (and a final X for ID numbers), with bank-card style
/// groups (`6222 0212 3456 7890`) joined, and their byte offsets.
fn digit_runs(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A digit right after a letter or `.` is part of a code or a decimal, not a number of its own.
        if i > 0
            && (bytes[i - 1].is_ascii_alphabetic() || bytes[i - 1] == b'.' || bytes[i - 1] == b'/')
        {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        let start = i;
        let mut digits = String::new();
        loop {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                digits.push(bytes[i] as char);
                i += 1;
            }
            // Groups of four separated by one space or hyphen continue a card number.
            let separated = i + 1 < bytes.len()
                && (bytes[i] == b' ' || bytes[i] == b'-')
                && bytes[i + 1].is_ascii_digit()
                && digits.len() % 4 == 0
                && digits.len() < 19;
            if separated {
                i += 1;
            } else {
                break;
            }
        }
        if i < bytes.len() && (bytes[i] == b'X' || bytes[i] == b'x') && digits.len() == 17 {
            digits.push('X');
            i += 1;
        }
        let followed_by_letter = i < bytes.len() && bytes[i].is_ascii_alphabetic();
        let followed_by_decimals =
            i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit();
        if !followed_by_letter && !followed_by_decimals {
            runs.push((start, digits));
        }
    }
    runs
}

/// The check digit of an 18-digit resident ID number (GB 11643, ISO 7064 MOD 11-2).
fn id_checksum_ok(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let digits: Vec<u32> = id.chars().take(17).filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 17 {
        return false;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    id.chars().nth(17) == Some(CHECK[(sum % 11) as usize])
}

fn plausible_birth_date(id: &str) -> bool {
    let year: i32 = id[6..10].parse().unwrap_or(0);
    let month: u32 = id[10..12].parse().unwrap_or(0);
    let day: u32 = id[12..14].parse().unwrap_or(0);
    (1900..=2100).contains(&year) && crate::model::date::Date::new(year, month, day).is_some()
}

fn luhn_ok(number: &str) -> bool {
    let mut sum = 0;
    for (index, c) in number.chars().rev().enumerate() {
        let Some(mut digit) = c.to_digit(10) else {
            return false;
        };
        if index % 2 == 1 {
            digit *= 2;
            if digit > 9 {
                digit -= 9;
            }
        }
        sum += digit;
    }
    sum % 10 == 0
}

fn mask(text: &str, keep_start: usize, keep_end: usize) -> String {
    let count = text.chars().count();
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_start || i >= count - keep_end {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Every resident ID, mobile number and bank card number in `text`.
pub fn find(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (offset, run) in digit_runs(text) {
        let finding = |kind, masked| Finding {
            kind,
            offset,
            text: run.clone(),
            masked,
        };
        if run.len() == 18 && id_checksum_ok(&run) && plausible_birth_date(&run) {
            findings.push(finding(Kind::ResidentId, mask(&run, 2, 3)));
        } else if run.len() == 11
            && run.starts_with('1')
            && matches!(run.as_bytes()[1], b'3'..=b'9')
        {
            findings.push(finding(Kind::Mobile, mask(&run, 3, 4)));
        } else if (16..=19).contains(&run.len()) && !run.ends_with('X') && luhn_ok(&run) {
            findings.push(finding(Kind::BankCard, mask(&run, 4, 4)));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        find(text).into_iter().map(|f| (f.kind, f.masked)).collect()
    }

    #[test]
    fn resident_ids_need_a_valid_check_digit_and_birth_date() {
        // 11010519491231002X is the standard's own example.
        assert_eq!(
            kinds("身份证号11010519491231002X。"),
            [(Kind::ResidentId, "11*************02X".to_owned())]
        );
        assert!(
            kinds("编号110105194912310021").is_empty(),
            "wrong check digit"
        );
        assert!(kinds("编号110105194913310029").is_empty(), "month 13");
    }

    #[test]
    fn mobile_numbers_are_masked_in_the_middle() {
        assert_eq!(
            kinds("联系人手机13812341234"),
            [(Kind::Mobile, "138****1234".to_owned())]
        );
        assert!(
            kinds("电话0518-85574017").is_empty(),
            "landlines are not personal"
        );
        assert!(kinds("12345热线").is_empty());
        assert!(kinds("共23812341234元").is_empty(), "not a mobile prefix");
    }

    #[test]
    fn bank_cards_must_pass_luhn() {
        assert_eq!(
            kinds("卡号6222021234567890128"),
            [(Kind::BankCard, "6222***********0128".to_owned())]
        );
        assert_eq!(
            kinds("卡号 4111 1111 1111 1111 已停用"),
            [(Kind::BankCard, "4111********1111".to_owned())]
        );
        assert!(kinds("卡号4111111111111112").is_empty());
    }

    #[test]
    fn codes_amounts_and_index_numbers_are_left_alone() {
        assert!(kinds("索引号11530900MB0000000X/2025-00418").is_empty());
        assert!(kinds("投入13812341234.5万元").is_empty());
        assert!(kinds("370403/2025-02453，2025年10月").is_empty());
    }
}
