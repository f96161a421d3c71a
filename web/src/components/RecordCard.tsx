import { categoryLabel } from "../../../lib/consent/codes";
import { factsOf, headlineOf, type FhirResource } from "./fhirFacts";

/** One FHIR R4 resource as a readable clinical card. */
export function RecordCard({ resource, category }: { resource: FhirResource; category?: number }) {
  const headline = headlineOf(resource);
  return (
    <article className="card" data-testid="record-card" data-resource-type={resource.resourceType}>
      <h4>
        {headline ?? resource.resourceType}{" "}
        <span className="muted">
          · {resource.resourceType}
          {category !== undefined && ` · ${categoryLabel(category)}`}
        </span>
      </h4>
      <dl>
        {factsOf(resource)
          .filter(([, value], i) => !(i === 0 && value === headline))
          .map(([label, value]) => (
            <div key={label} className="fact">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </article>
  );
}
