#!/usr/bin/env python3
"""Generate an AmazonEC2-shaped bulk CSV of about SIZE_MB megabytes, for timing the importer.

    python3 benches/gen-pricelist-csv.py 280 /tmp/AmazonEC2-big.csv
    /usr/bin/time -v target/release/costplan pricing import --region ap-northeast-1 \
        /tmp/AmazonEC2-big.csv --out /tmp/big.toml

The real EC2 file for one region is ~280 MB: one row per price dimension, ~90 columns, most rows
Reserved terms or operating-system / tenancy / licence variants of the same instance type. The
generated rows follow that shape: the prices are made up (0.0001 x a row number) and mean
nothing; exactly one SKU per instance type is the Linux / Shared / no software / Used one the
mapping selects, so the import succeeds and writes its on-demand price and the prices of its
four Standard reservations (1yr No, Partial and All Upfront, 3yr No Upfront) per generated type.
An output name ending `.json` writes the same records as a bulk JSON (`products`, then
`terms.OnDemand` and `terms.Reserved`) instead.
"""
import csv, sys

size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 280
out = sys.argv[2] if len(sys.argv) > 2 else "AmazonEC2-big.csv"
target = size_mb * 1_000_000

families = ["t3", "t3a", "t4g", "m5", "m6i", "m6g", "m7i", "m7g", "c5", "c6i", "c6g", "c7g", "r5", "r6i", "r6g", "r7g",
            "x2idn", "i4i", "g5", "p4d", "z1d", "d3", "h1", "inf2", "trn1", "hpc7g", "u7i", "mac2"]
sizes = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge",
         "16xlarge", "24xlarge", "32xlarge", "48xlarge", "metal"]
oses = [("Linux", "RunInstances"), ("Windows", "RunInstances:0002"), ("RHEL", "RunInstances:0010"),
        ("SUSE", "RunInstances:000g"), ("Ubuntu Pro", "RunInstances:0g00")]
tenancies = ["Shared", "Dedicated", "Host"]
software = ["NA", "SQL Std", "SQL Web", "SQL Ent"]
capacity = ["Used", "UnusedCapacityReservation", "AllocatedCapacityReservation"]
reserved = [("1yr", "standard", "No Upfront"), ("1yr", "standard", "Partial Upfront"), ("1yr", "standard", "All Upfront"),
            ("3yr", "standard", "No Upfront"), ("3yr", "convertible", "Partial Upfront"), ("3yr", "convertible", "All Upfront")]
extra_cols = [f"Attribute {i}" for i in range(60)]


def reserved_dims(price, option):
    """A reservation's price dimensions as AWS shapes them: the recurring rate per hour (zero for
    All Upfront) and, with an upfront payment, the fee (`Quantity`)."""
    dims = [("Hrs", "0.0000000000" if option == "All Upfront" else price, "6YS6EN2CT7")]
    if option != "No Upfront":
        dims.append(("Quantity", f"{float(price) * 5000:.2f}", "2TG2D8R56U"))
    return dims

meta = [("FormatVersion", "v1.0"), ("Disclaimer", "Generated for benchmarking; not AWS data."),
        ("Publication Date", "2026-09-10T00:00:00Z"), ("Version", "20260910000000"), ("OfferCode", "AmazonEC2")]
header = ["SKU", "OfferTermCode", "RateCode", "TermType", "PriceDescription", "EffectiveDate", "StartingRange",
          "EndingRange", "Unit", "PricePerUnit", "Currency", "LeaseContractLength", "PurchaseOption", "OfferingClass",
          "Product Family", "serviceCode", "Location", "Location Type", "Instance Type", "Current Generation",
          "Instance Family", "vCPU", "Memory", "Storage", "Network Performance", "Tenancy", "Operating System",
          "License Model", "usageType", "operation", "CapacityStatus", "Pre Installed S/W", "Region Code",
          "serviceName"] + extra_cols

def write_json(out, target):
    import json
    # Products first, as AWS writes them, then the terms; each pass regenerates the same SKUs.
    def skus():
        n = 0
        fams = list(families)
        while True:
            for fam in fams:
                for size in sizes:
                    for os_name, op in oses:
                        for ten in tenancies:
                            for sw in software:
                                for cap in capacity:
                                    n += 1
                                    itype = f"{fam}.{size}"
                                    pre = {"Shared": "BoxUsage", "Dedicated": "DedicatedUsage", "Host": "HostBoxUsage"}[ten]
                                    usage = f"APN1-{pre}:{itype}" if cap == "Used" else f"APN1-{cap[:6]}Box:{itype}"
                                    yield n, itype, os_name, op, ten, sw, cap, usage
            fams = [f + "x" for f in fams]
    with open(out, "w") as fh:
        fh.write('{\n  "formatVersion" : "v1.0",\n  "disclaimer" : "Generated for benchmarking; not AWS data.",\n'
                 '  "offerCode" : "AmazonEC2",\n  "version" : "20260910000000",\n'
                 '  "publicationDate" : "2026-09-10T00:00:00Z",\n  "products" : {\n')
        # About a third of the bytes are products, the rest terms.
        count = 0
        for n, itype, os_name, op, ten, sw, cap, usage in skus():
            sku = f"GEN{n:013d}"
            attrs = {"servicecode": "AmazonEC2", "location": "Asia Pacific (Tokyo)", "locationType": "AWS Region",
                     "instanceType": itype, "currentGeneration": "Yes", "instanceFamily": "General purpose",
                     "vcpu": "2", "memory": "8 GiB", "storage": "EBS only", "networkPerformance": "Up to 5 Gigabit",
                     "tenancy": ten, "operatingSystem": os_name, "licenseModel": "No License required",
                     "usagetype": usage, "operation": op, "capacitystatus": cap, "preInstalledSw": sw,
                     "regionCode": "ap-northeast-1", "servicename": "Amazon Elastic Compute Cloud"}
            sep = "" if count == 0 else ",\n"
            fh.write(sep + f'    "{sku}" : ' + json.dumps({"sku": sku, "productFamily": "Compute Instance", "attributes": attrs}))
            count += 1
            if fh.tell() >= target // 3:
                break
        fh.write('\n  },\n  "terms" : {\n')
        for kind in ["OnDemand", "Reserved"]:
            fh.write(f'    "{kind}" : {{\n')
            for i, (n, itype, os_name, *_rest) in enumerate(skus()):
                if i == count:
                    break
                sku = f"GEN{n:013d}"
                price = f"{n * 0.0001:.10f}"
                codes = [("JRTCKXETXF", {})] if kind == "OnDemand" else [
                    (f"R{j:09d}", {"LeaseContractLength": a, "OfferingClass": b, "PurchaseOption": c})
                    for j, (a, b, c) in enumerate(reserved)]
                terms = {}
                for code, attrs in codes:
                    dims = reserved_dims(price, attrs["PurchaseOption"]) if attrs else [("Hrs", price, "6YS6EN2CT7")]
                    terms[f"{sku}.{code}"] = {"offerTermCode": code, "sku": sku, "effectiveDate": "2026-09-01T00:00:00Z",
                        "priceDimensions": {f"{sku}.{code}.{rc}": {"rateCode": f"{sku}.{code}.{rc}",
                        "description": f"${p} per {os_name} {itype} Instance Hour" if unit == "Hrs" else "Upfront Fee",
                        "beginRange": "0", "endRange": "Inf", "unit": unit, "pricePerUnit": {"USD": p}, "appliesTo": []}
                        for unit, p, rc in dims},
                        "termAttributes": attrs}
                fh.write(("" if i == 0 else ",\n") + f'      "{sku}" : ' + json.dumps(terms))
            fh.write("\n    }" + (",\n" if kind == "OnDemand" else "\n"))
        fh.write("  }\n}\n")
        print(f"{out}: {count} SKUs, {fh.tell()} bytes")


if out.endswith(".json"):
    write_json(out, target)
    sys.exit(0)

with open(out, "w", newline="") as fh:
    w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for m in meta:
        w.writerow(m)
    w.writerow(header)
    n = 0
    done = False
    while not done:
        for fam in families:
            for size in sizes:
                itype = f"{fam}.{size}"
                for os_name, op in oses:
                    for ten in tenancies:
                        for sw in software:
                            for cap in capacity:
                                n += 1
                                sku = f"GEN{n:013d}"
                                pre = {"Shared": "BoxUsage", "Dedicated": "DedicatedUsage", "Host": "HostBoxUsage"}[ten]
                                usage = f"APN1-{pre}:{itype}" if cap == "Used" else f"APN1-{cap[:6]}Box:{itype}"
                                attrs = ["Compute Instance", "AmazonEC2", "Asia Pacific (Tokyo)", "AWS Region", itype, "Yes",
                                         "General purpose", "2", "8 GiB", "EBS only", "Up to 5 Gigabit", ten, os_name,
                                         "No License required", usage, op, cap, sw, "ap-northeast-1", "Amazon Elastic Compute Cloud"]
                                # Most of the real file's attribute columns are empty on any one row.
                                attrs += [f"v{i}" if i % 6 == 0 else "" for i in range(60)]
                                price = f"{n * 0.0001:.10f}"
                                w.writerow([sku, "JRTCKXETXF", f"{sku}.JRTCKXETXF.6YS6EN2CT7", "OnDemand",
                                            f"${price} per On Demand {os_name} {itype} Instance Hour", "2026-09-01", "0",
                                            "Inf", "Hrs", price, "USD", "", "", ""] + attrs)
                                for j, (length, cls, opt) in enumerate(reserved):
                                    code = f"R{j:09d}"
                                    for unit, p, rc in reserved_dims(price, opt):
                                        w.writerow([sku, code, f"{sku}.{code}.{rc}", "Reserved",
                                                    f"{os_name} {itype} reserved", "2026-09-01", "0", "Inf", unit, p,
                                                    "USD", length, opt, cls] + attrs)
                                if fh.tell() >= target:
                                    done = True
                                    break
                            if done: break
                        if done: break
                    if done: break
                if done: break
            if done: break
        if not done:
            # A second pass would repeat SKUs' instance types: vary the region so they are skipped.
            families = [f + "x" for f in families]
print(f"{out}: {n} SKUs")
