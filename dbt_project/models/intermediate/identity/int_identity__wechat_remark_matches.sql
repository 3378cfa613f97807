{#- Name rules for WeChat Work customers, who carry a mobile half the time at best and
    show a nickname, a pinyin or an English name as often as their own. What identifies
    them is what the reps who added them wrote: a remark "name-company" (张婷-智信机械,
    王总-汇泰汽车), the company (remark_corp_name), and for WeCom users the corp's name.
    Every name a customer goes by (each remark's name part, the WeChat name) is parsed by
    int_identity__name_keys. Its companies are the remarks' company parts, the
    remark_corp_names, the WeCom corp, and those of the records it already shares a
    WeChat id or a mobile with; companies_agree (macros/identity_keys.sql) compares them
    with the record's strictly (one core key in the other, or one trade name and one
    trade: 远和机械 and 远和精密机械, 嘉巨物流 and 嘉巨供应链管理) or loosely (one trade name:
    和新纺织 and 和新精密机械). Companies disagree when both sides have one and no pair
    agrees even loosely.

    Rules (a pair matching several keeps the first by name), and why each is safe:
      wechat_name_company         the same name (not a surname-and-title such as 王总) at a
                                  strictly agreeing company, against any other source's
                                  record: one company seldom employs two people of one
                                  full name, and mobiles tell those apart (guards).
      wechat_pinyin_name_company  the same full name in pinyin on one side and characters
                                  on the other (Yang Zhihua, 杨志华), strictly agreeing
                                  companies. Never characters against characters: 张伟 and
                                  章伟 share a pinyin, not a person.
      wechat_rep_name             the same name in one rep's book (the rep who added the
                                  customer owns the CRM lead or contact), companies not
                                  disagreeing: a rep tells two customers of one name apart
                                  by company, and two in the book make it ambiguous. Not
                                  for an English name (Kevin Wang): that is a surname.
      wechat_rep_pinyin_name      the same, the name in pinyin on one side.
      wechat_rep_title_company    one side knows only a surname and a title (王总, 李经理),
                                  the same rep, a strictly agreeing company, and one person
                                  of that surname in the rep's book there: the rep wrote
                                  whom they meant as precisely as their own book needs.
      wechat_rep_surname_company  the same for an English given name and a surname (Tony
                                  Li, Helen Zhang).
      wechat_rep_company_sole     the weakest: a customer known by nickname only, whose
                                  company the rep wrote, and the one person of the rep's
                                  book at that company (every record that may be there
                                  counts, loosely), claimed by no other nameless customer
                                  of the rep there and by no customer by name. Wrong when
                                  the customer is a colleague the CRM does not hold.
    Surname rules apply to customers no full-name rule matched, and never against a
    contradicting full name: a remark's full name other than the record's (both Chinese
    or pinyin, or two English names), or a WeChat name of the record's surname with
    another given name (a WeChat name of another surname is a nickname).

    Guards: a customer with a strictly agreeing match drops its weaker ones (the rep's 黄雪
    at 海方化工 over the rep's 黄雪 at 海方电子科技). A customer and a record are two people
    when both carry mobiles and share none, or when the record's full name is not that of
    a record the customer shares a WeChat id or a mobile with. A customer whose matches
    are two people (names that are not one person's, companies that do not strictly
    agree, mobiles that differ) links nobody. -#}
with

follows as (
    select * from {{ ref('stg_wechat_work__contact_follows') }}
),

wechat_contacts as (
    select * from {{ ref('stg_wechat_work__external_contacts') }}
),

crm_users as (
    select * from {{ ref('stg_crm__users') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
    where not is_deleted
),

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
),

mobiles as (
    select
        record_id,
        identifier_value as phone_hash
    from identifiers
    where identifier_type = 'mobile'
),

company_keys as (
    select * from {{ ref('int_identity__company_keys') }}
),

name_keys as (
    select * from {{ ref('int_identity__name_keys') }}
),

wechat_names as (
    -- every name the customer goes by: each rep's remark, and the WeChat name
    select
        'wechat_work:external_contacts:' || wechat_external_userid as record_id,
        remark_person_name as person_name,
        'remark' as name_origin
    from follows
    where remark_person_name is not null
    union
    select
        'wechat_work:external_contacts:' || wechat_external_userid,
        contact_name,
        'wechat_name'
    from wechat_contacts
    where contact_name is not null
),

wechat_companies as (
    select
        'wechat_work:external_contacts:' || wechat_external_userid as record_id,
        remark_company_part as company_name
    from follows
    union
    select
        'wechat_work:external_contacts:' || wechat_external_userid,
        remark_company_name
    from follows
    union
    select
        'wechat_work:external_contacts:' || wechat_external_userid,
        company_name
    from wechat_contacts
),

wechat_reps as (
    select distinct
        'wechat_work:external_contacts:' || follows.wechat_external_userid as record_id,
        crm_users.user_id as rep_user_id
    from follows
    inner join crm_users
        on follows.wechat_member_id = crm_users.wechat_member_id
),

target_records as (
    -- the records a customer can be matched to: every other source's, with the company
    -- (a CRM contact's is its account's) and the rep who owns it (CRM only)
    select
        source_records.record_id,
        source_records.person_name,
        coalesce(source_records.company_name, crm_accounts.account_name) as company_name,
        source_records.owner_user_id
    from source_records
    -- one computed equality key: a conditional join would be planned as a nested loop
    left join crm_contacts
        on source_records.record_id = 'crm:contacts:' || crm_contacts.contact_id
    left join crm_accounts
        on crm_contacts.account_id = crm_accounts.account_id
    where source_records.source_system <> 'wechat_work' and source_records.person_name is not null
),

personal_identifiers as (
    -- a WeChat id or a mobile on few records (not a switchboard)
    select
        identifier_type,
        identifier_value
    from identifiers
    where identifier_type in ('wechat_external_userid', 'wechat_unionid', 'mobile')
    group by identifier_type, identifier_value
    having count(distinct record_id) <= {{ var('identity_max_records_per_identifier') }}
),

identified_records as (
    -- the records a customer is already known to be: a CRM contact holding its WeChat
    -- id, a record with its remark mobile
    select distinct
        customer.record_id,
        other_record.record_id as identified_record_id
    from identifiers as customer
    inner join personal_identifiers
        on
            customer.identifier_type = personal_identifiers.identifier_type
            and customer.identifier_value = personal_identifiers.identifier_value
    inner join identifiers as other_record
        on
            customer.identifier_type = other_record.identifier_type
            and customer.identifier_value = other_record.identifier_value
    where
        customer.record_id like 'wechat_work:external_contacts:%'
        and other_record.record_id not like 'wechat_work:external_contacts:%'
),

customer_companies as (
    -- the companies the reps wrote, and those of the records it is known to be
    select * from wechat_companies
    union
    select
        identified_records.record_id,
        target_records.company_name
    from identified_records
    inner join target_records
        on identified_records.identified_record_id = target_records.record_id
),

wechat_name_keys as (
    select
        wechat_names.record_id,
        wechat_names.name_origin,
        name_keys.*
    from wechat_names
    inner join name_keys
        on wechat_names.person_name = name_keys.person_name
),

target_name_keys as (
    select
        target_records.record_id,
        target_records.owner_user_id,
        name_keys.*
    from target_records
    inner join name_keys
        on target_records.person_name = name_keys.person_name
),

full_name_matches as (
    -- the same name, or one full name in pinyin and in characters
    select
        wechat_name_keys.record_id,
        target_name_keys.record_id as linked_record_id,
        min(wechat_name_keys.key_type) as key_type,
        {{ dbt.bool_or(
            "coalesce(wechat_name_keys.name_form, '') <> 'latin_surname'"
            ~ " and coalesce(target_name_keys.name_form, '') <> 'latin_surname'"
        ) }} as is_chinese_name
    from wechat_name_keys
    inner join target_name_keys
        on
            wechat_name_keys.key_type = target_name_keys.key_type
            and wechat_name_keys.key_value = target_name_keys.key_value
    where
        (
            wechat_name_keys.key_type = 'name'
            and coalesce(wechat_name_keys.name_form, '') <> 'title'
            and coalesce(target_name_keys.name_form, '') <> 'title'
            and {{ dbt.length('wechat_name_keys.key_value') }} >= 2
        )
        or (
            wechat_name_keys.key_type = 'pinyin_name'
            and 'pinyin' in (wechat_name_keys.name_form, target_name_keys.name_form)
        )
    group by wechat_name_keys.record_id, target_name_keys.record_id
),

wechat_rep_surnames as (
    -- a customer's surnames keyed by the rep who has it: the pairs below are found
    -- within one rep's book with one equality key (rep and surname), never by first
    -- pairing every customer with every record of the rep
    select
        wechat_reps.rep_user_id || '|' || wechat_name_keys.key_value as rep_surname_key,
        wechat_name_keys.record_id,
        wechat_name_keys.name_form,
        wechat_name_keys.han_surname
    from wechat_name_keys
    inner join wechat_reps
        on wechat_name_keys.record_id = wechat_reps.record_id
    where wechat_name_keys.key_type = 'surname'
),

target_owner_surnames as (
    select
        target_name_keys.owner_user_id || '|' || target_name_keys.key_value as rep_surname_key,
        target_name_keys.record_id,
        target_name_keys.name_form,
        target_name_keys.han_surname
    from target_name_keys
    where target_name_keys.key_type = 'surname' and target_name_keys.owner_user_id is not null
),

surname_matches as (
    -- the same surname in one rep's book, one side knowing nothing but the surname
    select distinct
        wechat_rep_surnames.record_id,
        target_owner_surnames.record_id as linked_record_id,
        case
            when 'title' in (wechat_rep_surnames.name_form, target_owner_surnames.name_form)
                then 'title'
            else 'surname'
        end as key_type
    from wechat_rep_surnames
    inner join target_owner_surnames
        on wechat_rep_surnames.rep_surname_key = target_owner_surnames.rep_surname_key
    where
        (
            wechat_rep_surnames.name_form in ('title', 'latin_surname')
            or target_owner_surnames.name_form in ('title', 'latin_surname')
        )
        and (
            wechat_rep_surnames.han_surname is null
            or target_owner_surnames.han_surname is null
            or wechat_rep_surnames.han_surname = target_owner_surnames.han_surname
        )
),

unnamed_customers as (
    -- customers known by nicknames only: no name of theirs parses as a person's (a
    -- WeChat name in characters that does is most often a name, if another person's)
    select distinct wechat_reps.record_id
    from wechat_reps
    left join wechat_name_keys
        on
            wechat_reps.record_id = wechat_name_keys.record_id
            and wechat_name_keys.name_form is not null
    where wechat_name_keys.record_id is null
),

unnamed_customer_brands as (
    -- an unnamed customer's companies by rep and by the last two characters of the
    -- trade name ('*' when there is none to compare)
    select distinct
        unnamed_customers.record_id,
        wechat_reps.rep_user_id,
        coalesce({{ dbt.right('wechat_company.company_brand_key', '2') }}, '*') as brand_tail
    from unnamed_customers
    inner join wechat_reps
        on unnamed_customers.record_id = wechat_reps.record_id
    inner join customer_companies
        on unnamed_customers.record_id = customer_companies.record_id
    inner join company_keys as wechat_company
        on customer_companies.company_name = wechat_company.company_name
),

rep_book_brands as (
    select distinct
        target_records.record_id,
        target_records.owner_user_id,
        coalesce({{ dbt.right('target_company.company_brand_key', '2') }}, '*') as brand_tail
    from target_records
    inner join company_keys as target_company
        on target_records.company_name = target_company.company_name
    where target_records.owner_user_id is not null
),

company_only_matches as (
    -- an unnamed customer and the records of the rep's book that may be at its
    -- company: trade names ending alike, or no trade name to compare (compared below)
    select
        unnamed_customer_brands.record_id,
        rep_book_brands.record_id as linked_record_id
    from unnamed_customer_brands
    inner join rep_book_brands
        on
            unnamed_customer_brands.rep_user_id || '|' || unnamed_customer_brands.brand_tail
            = rep_book_brands.owner_user_id || '|' || rep_book_brands.brand_tail
    where unnamed_customer_brands.brand_tail <> '*'
    union
    select
        unnamed_customer_brands.record_id,
        rep_book_brands.record_id
    from unnamed_customer_brands
    inner join rep_book_brands
        on unnamed_customer_brands.rep_user_id = rep_book_brands.owner_user_id
    where unnamed_customer_brands.brand_tail = '*' or rep_book_brands.brand_tail = '*'
),

candidate_pairs as (
    select
        record_id,
        linked_record_id
    from full_name_matches
    union
    select
        record_id,
        linked_record_id
    from surname_matches
    union
    select
        record_id,
        linked_record_id
    from company_only_matches
),

company_pairs as (
    -- every company the customer goes by against the record's
    select
        candidate_pairs.record_id,
        candidate_pairs.linked_record_id,
        {{ companies_agree('wechat_company', 'target_company') }} as is_agreeing,
        {{ companies_agree('wechat_company', 'target_company', strict=true) }}
            as is_agreeing_strictly
    from candidate_pairs
    inner join customer_companies
        on candidate_pairs.record_id = customer_companies.record_id
    inner join company_keys as wechat_company
        on customer_companies.company_name = wechat_company.company_name
    inner join target_records
        on candidate_pairs.linked_record_id = target_records.record_id
    inner join company_keys as target_company
        on target_records.company_name = target_company.company_name
    where
        wechat_company.company_core_key is not null
        and target_company.company_core_key is not null
),

company_agreement as (
    select
        record_id,
        linked_record_id,
        {{ dbt.bool_or('is_agreeing') }} as is_same_company,
        {{ dbt.bool_or('is_agreeing_strictly') }} as is_same_company_strict
    from company_pairs
    group by record_id, linked_record_id
),

mobile_counts as (
    select
        record_id,
        count(*) as mobile_count
    from mobiles
    group by record_id
),

shared_mobiles as (
    -- only the candidate pairs: all pairs of records sharing a switchboard number
    -- would be quadratic
    select distinct
        candidate_pairs.record_id,
        candidate_pairs.linked_record_id as other_record_id
    from candidate_pairs
    inner join mobiles as left_mobile
        on candidate_pairs.record_id = left_mobile.record_id
    inner join mobiles as right_mobile
        on
            candidate_pairs.linked_record_id || '|' || left_mobile.phone_hash
            = right_mobile.record_id || '|' || right_mobile.phone_hash
),

known_and_candidate_names as (
    -- each candidate pair with the name of a record the customer is known to be
    select distinct
        candidate_pairs.record_id,
        candidate_pairs.linked_record_id,
        known_record.person_name as known_person_name,
        candidate_record.person_name as candidate_person_name
    from candidate_pairs
    inner join identified_records
        on candidate_pairs.record_id = identified_records.record_id
    inner join target_records as known_record
        on identified_records.identified_record_id = known_record.record_id
    inner join target_records as candidate_record
        on candidate_pairs.linked_record_id = candidate_record.record_id
),

distinct_name_pairs as (
    select distinct
        known_person_name,
        candidate_person_name
    from known_and_candidate_names
),

different_full_names as (
    -- two full names (in characters or pinyin) that differ as written
    select
        distinct_name_pairs.known_person_name,
        distinct_name_pairs.candidate_person_name
    from distinct_name_pairs
    inner join name_keys as known_name
        on distinct_name_pairs.known_person_name = known_name.person_name
    inner join name_keys as candidate_name
        on distinct_name_pairs.candidate_person_name = candidate_name.person_name
    where
        known_name.key_type = 'name'
        and candidate_name.key_type = 'name'
        and known_name.name_form in ('han', 'pinyin')
        and candidate_name.name_form in ('han', 'pinyin')
        and known_name.key_value <> candidate_name.key_value
    group by distinct_name_pairs.known_person_name, distinct_name_pairs.candidate_person_name
),

same_pinyin_names as (
    -- ... unless one is the other in pinyin (one equality key: name and reading)
    select distinct
        different_full_names.known_person_name,
        different_full_names.candidate_person_name
    from different_full_names
    inner join name_keys as known_pinyin
        on different_full_names.known_person_name = known_pinyin.person_name
    inner join name_keys as candidate_pinyin
        on
            different_full_names.candidate_person_name || '|' || known_pinyin.key_value
            = candidate_pinyin.person_name || '|' || candidate_pinyin.key_value
    where
        known_pinyin.key_type = 'pinyin_name'
        and candidate_pinyin.key_type = 'pinyin_name'
        and 'pinyin' in (known_pinyin.name_form, candidate_pinyin.name_form)
),

identified_name_conflicts as (
    -- a record whose full name is not that of a record the customer is known to be
    select distinct
        known_and_candidate_names.record_id,
        known_and_candidate_names.linked_record_id
    from known_and_candidate_names
    inner join different_full_names
        on
            known_and_candidate_names.known_person_name = different_full_names.known_person_name
            and known_and_candidate_names.candidate_person_name
            = different_full_names.candidate_person_name
    left join same_pinyin_names
        on
            known_and_candidate_names.known_person_name = same_pinyin_names.known_person_name
            and known_and_candidate_names.candidate_person_name
            = same_pinyin_names.candidate_person_name
    where same_pinyin_names.known_person_name is null
),

compared as (
    select
        candidate_pairs.record_id,
        candidate_pairs.linked_record_id,
        target_records.person_name as linked_person_name,
        coalesce(company_agreement.is_same_company, false) as is_same_company,
        coalesce(company_agreement.is_same_company_strict, false) as is_same_company_strict,
        coalesce(not company_agreement.is_same_company, false) as is_other_company,
        coalesce(same_rep.record_id is not null, false) as is_same_rep,
        -- both carry mobiles and share none, or another name is known: two people
        (
            wechat_mobiles.record_id is not null
            and target_mobiles.record_id is not null
            and shared_mobiles.record_id is null
        )
        or identified_name_conflicts.record_id is not null as is_two_people
    from candidate_pairs
    inner join target_records
        on candidate_pairs.linked_record_id = target_records.record_id
    left join company_agreement
        on
            candidate_pairs.record_id = company_agreement.record_id
            and candidate_pairs.linked_record_id = company_agreement.linked_record_id
    left join wechat_reps as same_rep
        on
            candidate_pairs.record_id = same_rep.record_id
            and target_records.owner_user_id = same_rep.rep_user_id
    left join mobile_counts as wechat_mobiles
        on candidate_pairs.record_id = wechat_mobiles.record_id
    left join mobile_counts as target_mobiles
        on candidate_pairs.linked_record_id = target_mobiles.record_id
    left join shared_mobiles
        on
            candidate_pairs.record_id = shared_mobiles.record_id
            and candidate_pairs.linked_record_id = shared_mobiles.other_record_id
    left join identified_name_conflicts
        on
            candidate_pairs.record_id = identified_name_conflicts.record_id
            and candidate_pairs.linked_record_id = identified_name_conflicts.linked_record_id
),

full_name_candidates as (
    select
        compared.record_id,
        compared.linked_record_id,
        compared.linked_person_name,
        compared.is_same_company_strict,
        case
            when compared.is_same_company_strict and full_name_matches.key_type = 'name'
                then 'wechat_name_company'
            when compared.is_same_company_strict then 'wechat_pinyin_name_company'
            when full_name_matches.key_type = 'name' then 'wechat_rep_name'
            else 'wechat_rep_pinyin_name'
        end as rule
    from compared
    inner join full_name_matches
        on
            compared.record_id = full_name_matches.record_id
            and compared.linked_record_id = full_name_matches.linked_record_id
    where
        not compared.is_two_people
        and (
            compared.is_same_company_strict
            or (
                compared.is_same_rep
                and not compared.is_other_company
                and full_name_matches.is_chinese_name
            )
        )
),

strictly_matched_customers as (
    select distinct record_id
    from full_name_candidates
    where is_same_company_strict
),

best_full_name_candidates as (
    -- a match at the company the rep wrote outranks a match in the rep's book only
    select
        full_name_candidates.record_id,
        full_name_candidates.linked_record_id,
        full_name_candidates.linked_person_name,
        full_name_candidates.rule,
        true as is_linkable
    from full_name_candidates
    left join strictly_matched_customers
        on full_name_candidates.record_id = strictly_matched_customers.record_id
    where
        full_name_candidates.is_same_company_strict
        or strictly_matched_customers.record_id is null
),

conflicting_names as (
    -- a full name of the customer's that is not the record's: a remark's, or a WeChat
    -- name with the record's surname (another surname makes it a nickname)
    select distinct
        surname_matches.record_id,
        surname_matches.linked_record_id
    from surname_matches
    inner join target_records
        on surname_matches.linked_record_id = target_records.record_id
    inner join name_keys as target_name
        on target_records.person_name = target_name.person_name and target_name.key_type = 'name'
    inner join wechat_name_keys
        on
            surname_matches.record_id = wechat_name_keys.record_id
            and wechat_name_keys.key_type = 'name'
    left join name_keys as wechat_surname
        on
            wechat_name_keys.person_name = wechat_surname.person_name
            and wechat_surname.key_type = 'surname'
    left join name_keys as target_surname
        on
            target_records.person_name = target_surname.person_name
            and target_surname.key_type = 'surname'
            and wechat_surname.key_value = target_surname.key_value
    where
        (
            (
                wechat_name_keys.name_form in ('han', 'pinyin')
                and target_name.name_form in ('han', 'pinyin')
            )
            or (
                wechat_name_keys.name_form = 'latin_surname'
                and target_name.name_form = 'latin_surname'
            )
        )
        and (wechat_name_keys.name_origin = 'remark' or target_surname.person_name is not null)
),

surname_candidates as (
    select
        compared.record_id,
        compared.linked_record_id,
        compared.linked_person_name,
        case
            when surname_matches.key_type = 'title' then 'wechat_rep_title_company'
            else 'wechat_rep_surname_company'
        end as rule,
        true as is_linkable
    from compared
    inner join surname_matches
        on
            compared.record_id = surname_matches.record_id
            and compared.linked_record_id = surname_matches.linked_record_id
    left join conflicting_names
        on
            compared.record_id = conflicting_names.record_id
            and compared.linked_record_id = conflicting_names.linked_record_id
    where
        compared.is_same_rep
        and compared.is_same_company_strict
        and not compared.is_two_people
        and conflicting_names.record_id is null
        and compared.record_id not in (
            select full_name_candidates.record_id from full_name_candidates
        )
),

name_candidates as (
    select * from best_full_name_candidates
    union all
    select * from surname_candidates
),

rep_company_books as (
    -- an unnamed customer and the records of the rep's book at that company, loosely
    select
        compared.record_id,
        compared.linked_record_id,
        compared.linked_person_name,
        compared.is_same_company_strict,
        compared.is_two_people
    from compared
    inner join company_only_matches
        on
            compared.record_id = company_only_matches.record_id
            and compared.linked_record_id = company_only_matches.linked_record_id
    where compared.is_same_rep and compared.is_same_company
),

customers_known_elsewhere as (
    -- unnamed customers whose rep's book at that company holds someone they are not
    select distinct record_id
    from rep_company_books
    where is_two_people
),

records_of_one_customer as (
    -- records no other unnamed customer of the rep at that company may be
    select linked_record_id
    from rep_company_books
    group by linked_record_id
    having count(distinct record_id) = 1
),

sole_company_candidates as (
    -- the rep's book at that company is one person (every record that may be there
    -- counts, and all must be one person by the ambiguity guard below), whom no other
    -- unnamed customer of the rep at that company and no customer by name claims;
    -- only the records strictly at that company link
    select
        rep_company_books.record_id,
        rep_company_books.linked_record_id,
        rep_company_books.linked_person_name,
        'wechat_rep_company_sole' as rule,
        rep_company_books.is_same_company_strict as is_linkable
    from rep_company_books
    inner join records_of_one_customer
        on rep_company_books.linked_record_id = records_of_one_customer.linked_record_id
    left join customers_known_elsewhere
        on rep_company_books.record_id = customers_known_elsewhere.record_id
    where
        customers_known_elsewhere.record_id is null
        and rep_company_books.linked_record_id not in (
            select name_candidates.linked_record_id from name_candidates
        )
),

linkable_customers as (
    select distinct record_id
    from sole_company_candidates
    where is_linkable
),

candidates as (
    select * from name_candidates
    union all
    select sole_company_candidates.*
    from sole_company_candidates
    inner join linkable_customers
        on sole_company_candidates.record_id = linkable_customers.record_id
),

candidates_sharing_mobile as (
    -- two records one customer matched that share a mobile
    select distinct
        left_side.linked_record_id as record_id,
        right_side.linked_record_id as other_record_id
    from candidates as left_side
    inner join candidates as right_side
        on
            left_side.record_id = right_side.record_id
            and left_side.linked_record_id < right_side.linked_record_id
    inner join mobiles as left_mobile
        on left_side.linked_record_id = left_mobile.record_id
    inner join mobiles as right_mobile
        on
            right_side.linked_record_id || '|' || left_mobile.phone_hash
            = right_mobile.record_id || '|' || right_mobile.phone_hash
),

candidate_record_pairs as (
    -- two records a customer matched: their names, and whether they are two people by
    -- company or by mobile
    select distinct
        left_side.record_id,
        left_side.linked_person_name as left_name,
        right_side.linked_person_name as right_name,
        coalesce(not {{ companies_agree('left_company', 'right_company', strict=true) }}, false)
        or (
            left_mobiles.record_id is not null
            and right_mobiles.record_id is not null
            and candidates_sharing_mobile.record_id is null
        ) as is_two_people
    from candidates as left_side
    inner join candidates as right_side
        on
            left_side.record_id = right_side.record_id
            and left_side.linked_record_id < right_side.linked_record_id
    inner join target_records as left_record
        on left_side.linked_record_id = left_record.record_id
    inner join target_records as right_record
        on right_side.linked_record_id = right_record.record_id
    left join company_keys as left_company
        on left_record.company_name = left_company.company_name
    left join company_keys as right_company
        on right_record.company_name = right_company.company_name
    left join mobile_counts as left_mobiles
        on left_side.linked_record_id = left_mobiles.record_id
    left join mobile_counts as right_mobiles
        on right_side.linked_record_id = right_mobiles.record_id
    left join candidates_sharing_mobile
        on
            left_side.linked_record_id = candidates_sharing_mobile.record_id
            and right_side.linked_record_id = candidates_sharing_mobile.other_record_id
),

same_name_pairs as (
    -- names of one person: one name in characters, one in pinyin and the other its
    -- characters, or an English name or a title and a full name of that surname
    select distinct
        candidate_record_pairs.record_id,
        candidate_record_pairs.left_name,
        candidate_record_pairs.right_name
    from candidate_record_pairs
    inner join name_keys as left_keys
        on candidate_record_pairs.left_name = left_keys.person_name
    inner join name_keys as right_keys
        on
            candidate_record_pairs.right_name = right_keys.person_name
            and left_keys.key_type = right_keys.key_type
            and left_keys.key_value = right_keys.key_value
    where
        left_keys.key_type = 'name'
        or (
            left_keys.key_type = 'pinyin_name'
            and 'pinyin' in (left_keys.name_form, right_keys.name_form)
        )
        or (
            -- an English name or a title is any full name of its surname
            left_keys.key_type = 'surname'
            and (
                left_keys.name_form in ('latin_surname', 'title')
                or right_keys.name_form in ('latin_surname', 'title')
            )
            and (
                left_keys.han_surname is null
                or right_keys.han_surname is null
                or left_keys.han_surname = right_keys.han_surname
            )
        )
),

ambiguous as (
    -- matches that are two people: two names, two companies, two mobiles (with a
    -- company, an English name and a Chinese name of one surname may be one person)
    select candidate_record_pairs.record_id
    from candidate_record_pairs
    left join same_name_pairs
        on
            candidate_record_pairs.record_id = same_name_pairs.record_id
            and candidate_record_pairs.left_name = same_name_pairs.left_name
            and candidate_record_pairs.right_name = same_name_pairs.right_name
    where
        (
            same_name_pairs.record_id is null
            and candidate_record_pairs.left_name <> candidate_record_pairs.right_name
        )
        or candidate_record_pairs.is_two_people
),

matches as (
    -- rule names sort strongest first: the name-and-company rules, then the rep rules
    select
        record_id,
        linked_record_id,
        min(rule) as rule
    from candidates
    where is_linkable and record_id not in (select ambiguous.record_id from ambiguous)
    group by record_id, linked_record_id
)

select * from matches
